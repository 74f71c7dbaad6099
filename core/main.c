/* kextcheck: the program.  Everything it does is in kc_cli_main (cli.c). */
#include "kc.h"

int main(int argc, char **argv)
{
    return kc_cli_main(argc, argv);
}

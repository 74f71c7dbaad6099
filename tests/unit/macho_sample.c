/* Compiled for macOS targets at build time (tests/CMakeLists.txt) to give
 * test_macho real Mach-O objects; never linked into anything. */
int kc_macho_sample_start(void);

int kc_macho_sample_start(void)
{
    return 0;
}

# Homebrew formula for kextcheck.  For a tap of your own:
#   brew tap-new YOU/kextcheck
#   cp packaging/homebrew/kextcheck.rb "$(brew --repository YOU/kextcheck)/Formula/"
#   brew install --build-from-source YOU/kextcheck/kextcheck && brew test kextcheck
# A release sets url to its source archive and sha256 to that archive's
# (`shasum -a 256 kextcheck-0.1.0.tar.gz`); `brew install --HEAD` builds from
# the repository named by head.  README.md ("macOS and Homebrew") tells more.
class Kextcheck < Formula
  desc "Tell why a macOS security product's kernel extension does not load"
  homepage "https://github.com/kextcheck/kextcheck"
  # Set at each release: the tag's source archive and its SHA-256.
  url "https://github.com/kextcheck/kextcheck/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "MIT"
  head "https://github.com/kextcheck/kextcheck.git", branch: "main"

  depends_on "cmake" => :build
  depends_on "pkg-config" => :build
  # libintl and msgfmt for the Japanese report (KEXTCHECK_NLS); without it,
  # configure with -DKEXTCHECK_NLS=OFF for English only.
  depends_on "gettext"
  depends_on "inih"
  depends_on "jansson"
  depends_on "libplist"
  depends_on "sqlite"

  def install
    # The configuration goes to Homebrew's etc (kept across upgrades), where
    # the binary looks for it; the plugins stay in the keg, beside the binary.
    system "cmake", "-S", ".", "-B", "build",
                    "-DBUILD_TESTING=OFF",
                    "-DCMAKE_INSTALL_SYSCONFDIR=#{etc}",
                    "-DKEXTCHECK_ZSH_COMPLETION_DIR=#{zsh_completion}",
                    "-DKEXTCHECK_BASH_COMPLETION_DIR=#{bash_completion}",
                    *std_cmake_args
    system "cmake", "--build", "build"
    system "cmake", "--install", "build"
  end

  def caveats
    <<~EOS
      The configuration file is #{etc}/kextcheck/kextcheck.ini.
      kextcheck reads the approval database, which only root can read:
        sudo kextcheck
    EOS
  end

  test do
    # "kextcheck 0.1.0 (plugin ABI 1.2)"; a --HEAD build has its own version.
    assert_match(/\Akextcheck \S+ \(plugin ABI \d+\.\d+\)$/, shell_output("#{bin}/kextcheck --version"))
    # The catalog's plugins load from the keg (exit 0: none refused).
    assert_match "trendmicro:", shell_output("#{bin}/kextcheck plugins --no-config")
  end
end

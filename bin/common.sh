# Sourced by bin/baton and the bench scripts: finds a JDK 21+ and sets $java (or exits saying what to
# install), and runs Maven quietly.

baton_die() {
  printf 'baton: %s\n' "$*" >&2
  exit 1
}

# The Java feature version of a java binary ("21", "25"), or nothing if it does not run. A JDK's
# `release` file says it without starting a JVM (about 0.1 s each, and there may be several to try).
feature_version() {
  local home version
  home="$(cd "$(dirname "$(readlink -f "$1")")/.." 2>/dev/null && pwd)"
  if [ -n "$home" ] && [ -f "$home/release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$home/release")"
    if [ -n "$version" ]; then
      printf '%s\n' "$version"
      return 0
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { sub(/^1\./, "", $2); print $2; exit }'
}

find_java() {
  local candidates=() dir candidate version
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  if command -v java >/dev/null 2>&1; then candidates+=("$(command -v java)"); fi
  for dir in /usr/lib/jvm/* /usr/java/* /usr/local/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
             "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.asdf/installs/java/* \
             /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
             /usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home; do
    [ -x "$dir/bin/java" ] && candidates+=("$dir/bin/java")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate" ] || continue
    version="$(feature_version "$candidate")"
    if [ -n "$version" ] && [ "$version" -ge 21 ] 2>/dev/null; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

java="$(find_java)" || baton_die "Baton needs Java 21 or newer and found none (looked at JAVA_HOME, java on PATH,
  /usr/lib/jvm, /opt, SDKMAN and the macOS JDK folders). Install one, then run this again:
    Debian/Ubuntu:  sudo apt-get install openjdk-21-jdk-headless
    Fedora/RHEL:    sudo dnf install java-21-openjdk-devel
    macOS:          brew install openjdk@21
    anywhere:       https://adoptium.net (Temurin 21), then export JAVA_HOME=<its folder>"


# Maven, quiet; Debian's Maven writes colour resets even in batch mode, so they are stripped.
quiet_mvn() {
  mvn -B -q -Dstyle.color=never "$@" 2>&1 | sed $'s/\x1b\\[[0-9;]*m//g'
}

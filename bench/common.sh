# Shared by bench/*.sh: the repository root and a JDK 21+ (the same search bin/baton makes).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# feature_version and quiet_mvn, as bin/baton uses them (it also exits if there is no JDK 21+ at all).
. "$root/bin/common.sh"

find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-/nonexistent}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version="$(feature_version "$candidate/bin/java")"
    if [ -n "$version" ] && [ "$version" -ge 21 ] 2>/dev/null; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

jdk="$(find_jdk)" || { echo "bench: needs a JDK 21 or newer (set JAVA_HOME)" >&2; exit 1; }
java="$jdk/bin/java"

# CPU ticks (1/100 s) used so far by the compiler threads of the JVM with this pid: the scripts warm Baton
# up until these stop growing, so what they measure is its steady state, not C2 compiling beside it.
jit_ticks() {
  local t total=0
  for t in /proc/"$1"/task/*; do
    grep -q 'Compiler' "$t/comm" 2>/dev/null && total=$((total + $(awk '{ print $14 + $15 }' "$t/stat")))
  done
  echo "$total"
}

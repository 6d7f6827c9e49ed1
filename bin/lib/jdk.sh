# Shared by the launchers in bin/ (sourced, not run): finds a JDK >= 25 and builds a module's jar if it is missing.
# Sets jnatsd_root (the repository root). Callers: `. "${self%/*}/lib/jdk.sh"` with self = the resolved script path.
# Written without subprocesses where it can be: tools that launch nats-server connect ~100 ms after the launch, so
# every fork counts (bin/jnatsd).

jnatsd_lib="${BASH_SOURCE[0]%/*}"
jnatsd_root="${jnatsd_lib%/*/*}"
[ "$jnatsd_root" = "$jnatsd_lib" ] && jnatsd_root="$(cd "$jnatsd_lib/../.." && pwd)"
jnatsd_required_jdk=25

# Sets jdk_version to the major version of the JDK at $1 (a JAVA_HOME), from its release file or by asking it.
jdk_major() {
  local home="$1" v="" line
  if [ -f "$home/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) v="${line#JAVA_VERSION=\"}"; v="${v%%[!0-9]*}"; break ;;
      esac
    done < "$home/release"
  fi
  if [ -z "$v" ] && [ -x "$home/bin/java" ]; then
    v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
  fi
  jdk_version="${v:-0}"
}

jdk_ok() {
  [ -x "$1/bin/java" ] || return 1
  jdk_major "$1"
  [ "$jdk_version" -ge "$jnatsd_required_jdk" ]
}

# Sets jdk to the first JAVA_HOME of version >= jnatsd_required_jdk: JAVA_HOME, the java on PATH, the standard JVM
# dirs; returns 1 if there is none.
find_jdk() {
  local c onpath
  if [ -n "${JAVA_HOME:-}" ] && jdk_ok "$JAVA_HOME"; then jdk="$JAVA_HOME"; return 0; fi
  onpath="$(type -P java || true)"
  if [ -n "$onpath" ]; then
    [ -L "$onpath" ] && onpath="$(readlink -f "$onpath")"
    c="${onpath%/bin/java}"
    if jdk_ok "$c"; then jdk="$c"; return 0; fi
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    if [ -d "$c" ] && jdk_ok "$c"; then jdk="$c"; return 0; fi
  done
  return 1
}

# require_jdk <program>: sets jdk to a JDK >= 25, or explains and exits.
require_jdk() {
  if ! find_jdk; then
    echo "$1: no JDK $jnatsd_required_jdk or newer found (looked at JAVA_HOME, the java on PATH and /usr/lib/jvm);" \
         "install one (e.g. Temurin $jnatsd_required_jdk) or set JAVA_HOME" >&2
    exit 1
  fi
}

# ensure_jar <program> <jar> <module>: builds <module> (and what it needs) with Maven if <jar> is missing.
# Needs $jdk (require_jdk first).
ensure_jar() {
  local prog="$1" jar="$2" module="$3"
  if [ ! -f "$jar" ]; then
    if ! command -v mvn >/dev/null 2>&1; then
      echo "$prog: $jar is missing and Maven (mvn) is not installed to build it" >&2
      exit 1
    fi
    echo "$prog: building $jar (first run)..." >&2
    (cd "$jnatsd_root" && JAVA_HOME="$jdk" mvn -B -q -DskipTests -pl "$module" -am package >&2)
  fi
}

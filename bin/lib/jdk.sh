# Shared by the launchers in bin/ (sourced, not run): finds a JDK >= 25 and builds a module's jar if it is missing.
# Sets jnatsd_root (the repository root). Callers: `. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/jdk.sh"`.

jnatsd_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jnatsd_required_jdk=25

# Major version of the JDK at $1 (a JAVA_HOME), from its release file or by asking it.
jdk_major() {
  local home="$1" v=""
  if [ -f "$home/release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" | head -n 1)"
  fi
  if [ -z "$v" ] && [ -x "$home/bin/java" ]; then
    v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
  fi
  echo "${v:-0}"
}

# Prints the first JAVA_HOME of version >= jnatsd_required_jdk: JAVA_HOME, the java on PATH, the standard JVM dirs.
find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    local onpath
    onpath="$(readlink -f "$(command -v java)")"
    candidates+=("$(dirname "$(dirname "$onpath")")")
  fi
  local d
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local c
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ "$(jdk_major "$c")" -ge "$jnatsd_required_jdk" ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

# require_jdk <program>: sets jdk to a JDK >= 25, or explains and exits.
require_jdk() {
  if ! jdk="$(find_jdk)"; then
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

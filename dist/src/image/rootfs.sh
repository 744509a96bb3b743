#!/usr/bin/env bash
# Assembles the image's root file system besides /app (the jars, which Jib adds itself), for a
# `scratch` base: no registry is reachable where Sextant is built, so the runtime is made here.
#   rootfs.sh JDK ROOT SERVER_LIB_DIR
# ROOT/opt/java     a jlink'd Java runtime of JDK (every module but the incubating ones: the
#                   server's libraries load some reflectively, which jdeps cannot see)
# ROOT/lib*, usr/   the shared libraries that runtime and the JNI libraries inside the server's
#                   jars (RocksDB, Netty) link against, as ldd resolves them on this machine
#                   (regular files at the paths ldd prints; the image sets LD_LIBRARY_PATH)
# ROOT/etc          passwd and group with the non-root user 65532 (sextant)
# ROOT/proc, ROOT/dev  mount points (container runtimes mount them; so does DistributionIT)
# ROOT/var/lib/sextant, ROOT/tmp   the data volume and the JVM's temp dir (RocksDB unpacks its
#                   JNI library there), empty; Jib makes them writable (mode 777)
set -euo pipefail
JDK="$1" ROOT="$2" LIBS="$3"
[[ -x "$JDK/bin/jlink" ]] || JDK="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
rm -rf "$ROOT"
mkdir -p "$ROOT/opt" "$ROOT/etc" "$ROOT/var/lib/sextant" "$ROOT/tmp" "$ROOT/proc" "$ROOT/dev"
# Every module but the incubating ones.
modules="$("$JDK/bin/java" --list-modules | sed 's/@.*//' | grep -v '^jdk\.incubator' | paste -sd, -)"
"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$ROOT/opt/java"

# The JNI libraries the server's jars carry for linux-x86_64, to ask ldd what they need.
jni="$(mktemp -d)"
trap 'rm -rf "$jni"' EXIT
for jar in "$LIBS"/rocksdbjni-*.jar "$LIBS"/netty-*linux-x86_64*.jar; do
  [[ -e "$jar" ]] || continue
  (cd "$jni" && "$JDK/bin/jar" xf "$jar" \
    $("$JDK/bin/jar" tf "$jar" | grep -E '(linux64|linux-x86_64|x86_64)[^/]*\.so$' | grep -v musl || true))
done

copy() { # the file itself (symlinks followed) at the path the loader asks for: no links in
  mkdir -p "$ROOT$(dirname "$1")" # the image, so the base's /lib layout does not matter
  cp -L "$1" "$ROOT$1"
}
# Not the desktop's native parts (X11 windows, sound, fonts, smart cards): a headless server
# never loads them, and they would pull in X11, ALSA, FreeType and more.
mapfile -t objects < <(find "$ROOT/opt/java" "$jni" -type f \( -name '*.so' -o -path '*/bin/*' \) \
  ! -name 'libawt_xawt.so' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' \
  ! -name 'libjsound.so' ! -name 'libfontmanager.so' ! -name 'liblcms.so' \
  ! -name 'libjavajpeg.so' ! -name 'libj2pcsc.so')
for lib in $(ldd "${objects[@]}" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | sort -u); do
  case "$lib" in "$ROOT"*|"$jni"*) continue ;; esac
  copy "$lib"
done
# Loaded with dlopen, so ldd does not list them: name service (user, host lookups) and libgcc_s.
for pattern in 'libnss_files.so.*' 'libnss_dns.so.*' 'libresolv.so.*' 'libgcc_s.so.*'; do
  for lib in /lib/x86_64-linux-gnu/$pattern /usr/lib/x86_64-linux-gnu/$pattern; do
    [[ -e "$lib" ]] && copy "$lib"
  done
done
cat > "$ROOT/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
sextant:x:65532:65532:Sextant:/var/lib/sextant:/sbin/nologin
PASSWD
cat > "$ROOT/etc/group" <<'GROUP'
root:x:0:
sextant:x:65532:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$ROOT/etc/nsswitch.conf"
echo "rootfs.sh: $(du -sh "$ROOT" | cut -f1) in $ROOT"

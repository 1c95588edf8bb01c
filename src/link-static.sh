#!/bin/sh
# The linker NativeAOT calls for the statically linked sluice-redirect (Sluice.Redirect.Host.csproj
# sets it as CppCompilerAndLinker): the C compiler driver NativeAOT would pick (clang, else gcc),
# with glibc's static-link notices about six functions taken out of its output, and any other
# warning turned into a failed link.
#
# Why those notices are harmless here. Linking glibc statically, ld reports every reference to a
# function that needs glibc's own shared modules at run time (NSS for users, groups and host
# names; the dynamic loader for dlopen): such a call would depend on the node having the glibc the
# binary was built with. The references come from the .NET runtime's native parts, which
# sluice-redirect carries but never calls there:
#   dlopen                                               PalLoadLibrary: loading a native library by
#       name. sluice-redirect's P/Invokes are bound at link time (DirectPInvoke, NativeExecutable.props)
#       and it has no TLS, crypto or ICU code that would load OpenSSL or ICU.
#   getpwnam_r getpwuid_r getgrgid_r getgrouplist        System.Native's user and group lookups by
#       name: capture policies name the proxy by numeric UID and GID only.
#   getaddrinfo                                          System.Native's host name resolution: the
#       plugin resolves no names (the agent is a Unix socket, API lookups are sluice-kube's).
# RedirectBinaryTests checks that ADD, CHECK, DEL, STATUS, VERSION and explain open no shared
# library at run time (strace) and that the binary has no interpreter.
set -u
if command -v clang >/dev/null 2>&1; then cc=clang; else cc=gcc; fi
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
"$cc" "$@" 2>"$log"
status=$?

# ld prints "<object>: in function `F':" and then "<source>:<line>: warning: Using 'G' in statically
# linked applications requires at runtime the shared libraries from the glibc version used for
# linking"; a pair whose G is one of the above is dropped, everything else is kept.
rest=$(awk '
  BEGIN { split("dlopen getpwnam_r getpwuid_r getgrgid_r getgrouplist getaddrinfo", names, " "); for (i in names) known[names[i]] = 1 }
  function harmless(line,   m) {
    if (line !~ /: warning: Using .* in statically linked applications requires at runtime the shared libraries from the glibc version used for linking$/) return 0
    m = line; sub(/.*: warning: Using \047/, "", m); sub(/\047.*/, "", m)
    return (m in known)
  }
  /: in function `.*\047:$/ { if (held != "") print held; held = $0; next }
  { if (harmless($0)) { held = ""; next } if (held != "") { print held; held = "" } print }
  END { if (held != "") print held }
' "$log")
if [ -n "$rest" ]; then
  printf '%s\n' "$rest" >&2
fi
if [ "$status" -eq 0 ] && printf '%s\n' "$rest" | grep -qi 'warning'; then
  echo "link-static.sh: the linker warned about something other than the known glibc static-link notices (above); failing" >&2
  exit 1
fi
exit "$status"

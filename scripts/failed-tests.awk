# The failed tests of one .trx file (the VSTest results format): each test's name, and under it the
# first line of its message (at most 300 characters), for the end of scripts/run-tests.sh.
function unescape(text) {
  gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&quot;/, "\"", text); gsub(/&apos;/, "'", text)
  gsub(/&amp;/, "\\&", text)
  return text
}
/<UnitTestResult / && /outcome="Failed"/ {
  match($0, /testName="[^"]*"/); name = unescape(substr($0, RSTART + 10, RLENGTH - 11))
  if ($0 ~ /\/>[ \t\r]*$/) printf "  %s\n", name; else pending = 1
  next
}
pending && /<Message>/ {
  line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
  printf "  %s\n    %s\n", name, substr(unescape(line), 1, 300); pending = 0
}
pending && /<\/UnitTestResult>/ { printf "  %s\n", name; pending = 0 }

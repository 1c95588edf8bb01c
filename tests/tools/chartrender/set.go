package main

import (
	"fmt"
	"strconv"
	"strings"
)

// parseSet reads --set's syntax as helm's strvals does for the cases the tests need:
// "a.b=v" (dotted keys), several pairs separated by commas, "{x,y}" lists, "\," for a literal
// comma, and typed scalars (true/false, null, integers; anything else is a string). List
// indexes ("a[0]=v") are refused rather than half-supported.
func parseSet(text string) (map[string]interface{}, error) {
	out := map[string]interface{}{}
	for _, pair := range splitUnescaped(text, ',', true) {
		if pair == "" {
			continue
		}
		eq := strings.IndexByte(pair, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("--set %q: key %q has no value", text, pair)
		}
		key, raw := pair[:eq], pair[eq+1:]
		if strings.ContainsAny(key, "[]") {
			return nil, fmt.Errorf("--set %q: list indexes are not supported by chartrender (use -f)", text)
		}
		var value interface{}
		if strings.HasPrefix(raw, "{") && strings.HasSuffix(raw, "}") {
			items := []interface{}{}
			if inner := raw[1 : len(raw)-1]; inner != "" {
				for _, item := range splitUnescaped(inner, ',', false) {
					items = append(items, typedScalar(unescape(item)))
				}
			}
			value = items
		} else {
			value = typedScalar(unescape(raw))
		}
		setPath(out, strings.Split(key, "."), value)
	}
	return out, nil
}

func setPath(m map[string]interface{}, path []string, value interface{}) {
	for _, part := range path[:len(path)-1] {
		next, ok := m[part].(map[string]interface{})
		if !ok {
			next = map[string]interface{}{}
			m[part] = next
		}
		m = next
	}
	m[path[len(path)-1]] = value
}

// typedScalar: helm's typing of --set values.
func typedScalar(s string) interface{} {
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if s == "0" || (len(s) > 0 && s[0] != '0' && s[0] != '+') {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	}
	return s
}

// splitUnescaped splits on sep, except after a backslash and (when braces is set) inside {…}.
func splitUnescaped(s string, sep byte, braces bool) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case braces && s[i] == '{':
			depth++
		case braces && s[i] == '}':
			depth--
		case s[i] == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func unescape(s string) string {
	return strings.ReplaceAll(s, `\,`, ",")
}

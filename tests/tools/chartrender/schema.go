package main

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// The JSON Schema (draft-07) keywords this validator understands. A schema using any other
// keyword is refused: a keyword silently ignored would let bad values through.
var schemaKeywords = map[string]bool{
	"$schema": true, "$comment": true, "title": true, "description": true, "default": true, "examples": true,
	"definitions": true, "$ref": true, "type": true, "enum": true, "properties": true,
	"additionalProperties": true, "required": true, "items": true, "minimum": true, "maximum": true,
	"pattern": true, "minLength": true,
}

type validator struct {
	root     map[string]interface{}
	problems []string
}

// checkSchema validates the merged values against values.schema.json, with helm's message.
func checkSchema(c *chart, values map[string]interface{}) error {
	if c.schema == nil {
		return nil
	}
	root, ok := c.schema.(map[string]interface{})
	if !ok {
		return fmt.Errorf("values.schema.json: not an object")
	}
	v := &validator{root: root}
	if err := v.check(root, values, ""); err != nil {
		return err
	}
	if len(v.problems) == 0 {
		return nil
	}
	sort.Strings(v.problems)
	return fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%s:\n- %s",
		c.name, strings.Join(v.problems, "\n- "))
}

func (v *validator) fail(path, format string, args ...interface{}) {
	if path == "" {
		path = "(root)"
	}
	v.problems = append(v.problems, path+": "+fmt.Sprintf(format, args...))
}

// check returns an error only for a schema it cannot use; problems with the values are collected.
func (v *validator) check(schema map[string]interface{}, value interface{}, path string) error {
	for keyword := range schema {
		if !schemaKeywords[keyword] {
			return fmt.Errorf("values.schema.json: keyword %q (at %q) is not supported by chartrender", keyword, path)
		}
	}
	if ref, ok := schema["$ref"].(string); ok {
		target, err := v.resolve(ref)
		if err != nil {
			return err
		}
		return v.check(target, value, path)
	}
	if types, ok := schema["type"]; ok && !matchesType(types, value) {
		v.fail(path, "Invalid type. Expected: %s, given: %s", describeTypes(types), typeOf(value))
		return nil
	}
	if enum, ok := schema["enum"].([]interface{}); ok && !inEnum(enum, value) {
		v.fail(path, "%s must be one of the following: %s", lastPart(path), quoteAll(enum))
	}
	switch typed := value.(type) {
	case map[string]interface{}:
		return v.checkObject(schema, typed, path)
	case []interface{}:
		if items, ok := schema["items"].(map[string]interface{}); ok {
			for i, item := range typed {
				if err := v.check(items, item, join(path, fmt.Sprint(i))); err != nil {
					return err
				}
			}
		}
	case string:
		v.checkString(schema, typed, path)
	case float64, int64:
		v.checkNumber(schema, toFloat(typed), path)
	}
	return nil
}

func (v *validator) checkObject(schema map[string]interface{}, value map[string]interface{}, path string) error {
	if required, ok := schema["required"].([]interface{}); ok {
		for _, name := range required {
			if _, present := value[name.(string)]; !present {
				v.fail(path, "%s is required", name)
			}
		}
	}
	properties, _ := schema["properties"].(map[string]interface{})
	keys := make([]string, 0, len(value))
	for key := range value {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		sub, declared := properties[key].(map[string]interface{})
		switch additional := schema["additionalProperties"].(type) {
		case bool:
			if !declared && !additional {
				v.fail(path, "Additional property %s is not allowed", key)
				continue
			}
		case map[string]interface{}:
			if !declared {
				sub, declared = additional, true
			}
		}
		if declared {
			if err := v.check(sub, value[key], join(path, key)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (v *validator) checkString(schema map[string]interface{}, value, path string) {
	if pattern, ok := schema["pattern"].(string); ok {
		if re, err := regexp.Compile(pattern); err != nil || !re.MatchString(value) {
			v.fail(path, "Does not match pattern '%s'", pattern)
		}
	}
	if min, ok := schema["minLength"].(float64); ok && float64(len([]rune(value))) < min {
		v.fail(path, "String length must be greater than or equal to %v", min)
	}
}

func (v *validator) checkNumber(schema map[string]interface{}, value float64, path string) {
	if min, ok := schema["minimum"].(float64); ok && value < min {
		v.fail(path, "Must be greater than or equal to %v", min)
	}
	if max, ok := schema["maximum"].(float64); ok && value > max {
		v.fail(path, "Must be less than or equal to %v", max)
	}
}

func (v *validator) resolve(ref string) (map[string]interface{}, error) {
	const prefix = "#/definitions/"
	definitions, _ := v.root["definitions"].(map[string]interface{})
	if target, ok := definitions[strings.TrimPrefix(ref, prefix)].(map[string]interface{}); ok && strings.HasPrefix(ref, prefix) {
		return target, nil
	}
	return nil, fmt.Errorf("values.schema.json: $ref %q is not a local definition", ref)
}

func matchesType(types, value interface{}) bool {
	if list, ok := types.([]interface{}); ok {
		for _, t := range list {
			if matchesType(t, value) {
				return true
			}
		}
		return false
	}
	switch types {
	case "integer":
		f, isNumber := numberValue(value)
		return isNumber && f == math.Trunc(f)
	case "number":
		_, isNumber := numberValue(value)
		return isNumber
	default:
		return typeOf(value) == types
	}
}

func numberValue(value interface{}) (float64, bool) {
	switch value.(type) {
	case float64, int64:
		return toFloat(value), true
	}
	return 0, false
}

func toFloat(value interface{}) float64 {
	if i, ok := value.(int64); ok {
		return float64(i)
	}
	return value.(float64)
}

func typeOf(value interface{}) string {
	switch value.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64, int64:
		if f := toFloat(value); f == math.Trunc(f) {
			return "integer"
		}
		return "number"
	case []interface{}:
		return "array"
	case map[string]interface{}:
		return "object"
	}
	return fmt.Sprintf("%T", value)
}

func inEnum(enum []interface{}, value interface{}) bool {
	for _, allowed := range enum {
		if fmt.Sprint(allowed) == fmt.Sprint(value) && typeOf(allowed) == typeOf(value) {
			return true
		}
	}
	return false
}

func describeTypes(types interface{}) string {
	if list, ok := types.([]interface{}); ok {
		names := make([]string, len(list))
		for i, t := range list {
			names[i] = fmt.Sprint(t)
		}
		return strings.Join(names, "/")
	}
	return fmt.Sprint(types)
}

func quoteAll(items []interface{}) string {
	quoted := make([]string, len(items))
	for i, item := range items {
		data, _ := json.Marshal(item)
		quoted[i] = string(data)
	}
	return strings.Join(quoted, ", ")
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func lastPart(path string) string {
	if path == "" {
		return "(root)"
	}
	return path[strings.LastIndex(path, ".")+1:]
}

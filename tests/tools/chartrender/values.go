package main

import (
	"encoding/json"
	"fmt"
	"os"

	"gopkg.in/yaml.v2"
)

// readYAMLFile reads a YAML mapping the way helm does (YAML through JSON): string keys, and
// every number a float64.
func readYAMLFile(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseValues(path, data)
}

func parseValues(source string, data []byte) (map[string]interface{}, error) {
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	if raw == nil {
		return map[string]interface{}{}, nil
	}
	converted, err := viaJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	m, ok := converted.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: not a mapping", source)
	}
	return m, nil
}

// viaJSON turns yaml.v2's maps into JSON's types, as sigs.k8s.io/yaml (which helm uses) does.
func viaJSON(value interface{}) (interface{}, error) {
	data, err := json.Marshal(stringKeys(value))
	if err != nil {
		return nil, err
	}
	var out interface{}
	err = json.Unmarshal(data, &out)
	return out, err
}

// stringKeys converts map[interface{}]interface{} (yaml.v2) into map[string]interface{}, deeply.
func stringKeys(value interface{}) interface{} {
	switch v := value.(type) {
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(v))
		for key, item := range v {
			out[fmt.Sprint(key)] = stringKeys(item)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(v))
		for i, item := range v {
			out[i] = stringKeys(item)
		}
		return out
	default:
		return v
	}
}

// mergedValues: values.yaml, then each -f file, then each --set, as helm coalesces them.
func mergedValues(c *chart, valueFiles, sets []string) (map[string]interface{}, error) {
	values := deepCopy(c.values).(map[string]interface{})
	for _, file := range valueFiles {
		override, err := readYAMLFile(file)
		if err != nil {
			return nil, err
		}
		mergeInto(values, override)
	}
	for _, set := range sets {
		override, err := parseSet(set)
		if err != nil {
			return nil, err
		}
		mergeInto(values, override)
	}
	return values, nil
}

// mergeInto: maps merge key by key; anything else replaces; null removes the key (helm's rule).
func mergeInto(dst, src map[string]interface{}) {
	for key, value := range src {
		if value == nil {
			delete(dst, key)
			continue
		}
		srcMap, srcIsMap := value.(map[string]interface{})
		dstMap, dstIsMap := dst[key].(map[string]interface{})
		if srcIsMap && dstIsMap {
			mergeInto(dstMap, srcMap)
			continue
		}
		dst[key] = deepCopy(value)
	}
}

func deepCopy(value interface{}) interface{} {
	switch v := value.(type) {
	case map[string]interface{}:
		out := make(map[string]interface{}, len(v))
		for key, item := range v {
			out[key] = deepCopy(item)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(v))
		for i, item := range v {
			out[i] = deepCopy(item)
		}
		return out
	default:
		return v
	}
}

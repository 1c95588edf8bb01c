package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// chart is a chart directory as helm loads it.
type chart struct {
	name      string
	metadata  map[string]interface{} // .Chart: Chart.yaml's keys with helm's field names
	values    map[string]interface{} // values.yaml
	schema    interface{}            // values.schema.json, nil when the chart has none
	templates []templateFile         // templates/*, sorted by name
}

type templateFile struct {
	name    string // as helm names it: <chart>/templates/<file>
	content string
}

// chartFields maps Chart.yaml's keys to the field names templates use (.Chart.AppVersion).
var chartFields = map[string]string{
	"apiVersion": "APIVersion", "name": "Name", "version": "Version", "appVersion": "AppVersion",
	"description": "Description", "type": "Type", "keywords": "Keywords", "home": "Home",
	"sources": "Sources", "icon": "Icon", "kubeVersion": "KubeVersion", "deprecated": "Deprecated",
	"annotations": "Annotations", "maintainers": "Maintainers",
}

func loadChart(dir string) (*chart, error) {
	meta, err := readYAMLFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	c := &chart{metadata: map[string]interface{}{}}
	for key, value := range meta {
		field, ok := chartFields[key]
		if !ok {
			return nil, fmt.Errorf("Chart.yaml: unknown field %q", key)
		}
		c.metadata[field] = value
	}
	c.name, _ = c.metadata["Name"].(string)
	if c.name == "" {
		return nil, fmt.Errorf("Chart.yaml: name is required")
	}
	if c.values, err = readYAMLFile(filepath.Join(dir, "values.yaml")); err != nil {
		return nil, err
	}
	if data, err := os.ReadFile(filepath.Join(dir, "values.schema.json")); err == nil {
		if err := json.Unmarshal(data, &c.schema); err != nil {
			return nil, fmt.Errorf("values.schema.json: %v", err)
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(dir, "templates"))
	if err != nil {
		return nil, err
	}
	for _, entry := range entries {
		if entry.IsDir() {
			return nil, fmt.Errorf("templates/%s: subdirectories are not supported", entry.Name())
		}
		data, err := os.ReadFile(filepath.Join(dir, "templates", entry.Name()))
		if err != nil {
			return nil, err
		}
		c.templates = append(c.templates, templateFile{name: c.name + "/templates/" + entry.Name(), content: string(data)})
	}
	sort.Slice(c.templates, func(i, j int) bool { return c.templates[i].name < c.templates[j].name })
	return c, nil
}

// isPartial: files starting with _ only define templates (helm renders nothing from them).
func (t templateFile) isPartial() bool {
	return strings.HasPrefix(filepath.Base(t.name), "_")
}

func (t templateFile) isNotes() bool {
	return filepath.Base(t.name) == "NOTES.txt"
}

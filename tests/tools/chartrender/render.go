package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v2"
)

type release struct {
	Name      string
	Namespace string
}

type rendered struct {
	manifests []templateOutput
	notes     string
}

type templateOutput struct {
	name string
	text string
}

// helm marks the messages of required and fail so that it can cut them out of Go's error chain.
const (
	warnStart = "HELM_ERR_START"
	warnEnd   = "HELM_ERR_END"
)

var warnRegex = regexp.MustCompile(warnStart + `((?s).*)` + warnEnd)

// includeDepth is helm's limit on nested include calls.
const includeDepth = 1000

func render(c *chart, values map[string]interface{}, rel release) (*rendered, error) {
	root := template.New("chart").Option("missingkey=error")
	depth := 0
	root.Funcs(functions(root, &depth))
	for _, file := range c.templates {
		if _, err := root.New(file.name).Parse(file.content); err != nil {
			return nil, parseError(err)
		}
	}
	data := map[string]interface{}{
		"Values": values,
		"Chart":  c.metadata,
		"Release": map[string]interface{}{
			"Name": rel.Name, "Namespace": rel.Namespace, "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
	}
	out := &rendered{}
	for _, file := range c.templates {
		if file.isPartial() {
			continue
		}
		var buf strings.Builder
		if err := root.ExecuteTemplate(&buf, file.name, data); err != nil {
			return nil, execError(file.name, err)
		}
		if file.isNotes() {
			out.notes = buf.String()
		} else {
			out.manifests = append(out.manifests, templateOutput{name: file.name, text: buf.String()})
		}
	}
	return out, nil
}

// functions: sprig's text functions without env and expandenv (helm removes them), and helm's own.
func functions(root *template.Template, depth *int) template.FuncMap {
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = toYAML
	funcs["toJson"] = toJSON
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if *depth >= includeDepth {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		*depth++
		defer func() { *depth-- }()
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["required"] = func(warn string, value interface{}) (interface{}, error) {
		if s, isString := value.(string); value == nil || (isString && s == "") {
			return value, errors.New(warnStart + warn + warnEnd)
		}
		return value, nil
	}
	funcs["fail"] = func(message string) (string, error) {
		return "", errors.New(warnStart + message + warnEnd)
	}
	return funcs
}

// toYAML is helm's: through JSON (so keys are sorted and types are JSON's), no final newline,
// and "" when the value cannot be marshalled.
func toYAML(value interface{}) string {
	data, err := json.Marshal(value)
	if err != nil {
		return ""
	}
	var generic interface{}
	if err := yaml.Unmarshal(data, &generic); err != nil {
		return ""
	}
	out, err := yaml.Marshal(generic)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}

func toJSON(value interface{}) string {
	data, err := json.Marshal(value)
	if err != nil {
		return ""
	}
	return string(data)
}

// execError words an execution error as helm does: "execution error at (file:line:col): message"
// for required and fail, Go's own message otherwise.
func execError(file string, err error) error {
	var execErr template.ExecError
	if !errors.As(err, &execErr) {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %s", file, err)
	}
	if parts := warnRegex.FindStringSubmatch(tokens[2]); len(parts) >= 2 {
		return fmt.Errorf("execution error at (%s): %s", tokens[1], parts[1])
	}
	return err
}

func parseError(err error) error {
	tokens := strings.Split(err.Error(), ": ")
	if len(tokens) == 1 {
		return fmt.Errorf("parse error: %s", err)
	}
	return fmt.Errorf("parse error at (%s): %s", tokens[1], tokens[len(tokens)-1])
}

package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v2"
)

type document struct {
	source  string // the template it came from
	kind    string
	content string                 // the YAML text, trimmed
	object  map[string]interface{} // the same, parsed
}

// helm's document separator.
var separator = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

// installOrder is the part of helm's install order the chart can produce; other kinds go last.
var installOrder = []string{
	"Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodDisruptionBudget", "ServiceAccount",
	"Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
	"CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
	"DaemonSet", "Pod", "ReplicaSet", "Deployment", "StatefulSet", "Job", "CronJob",
}

// splitDocuments cuts each template's output into documents, drops empty ones, parses each
// (a document that is not valid YAML, or lacks apiVersion or kind, fails the render) and sorts
// them as helm template prints them: the manifests by kind in helm's install order (template
// order within a kind), then the hooks by kind and then by their helm.sh/hook-weight.
func splitDocuments(outputs []templateOutput) ([]document, error) {
	var docs []document
	for _, output := range outputs {
		for _, part := range separator.Split(output.text, -1) {
			content := strings.TrimSpace(part)
			if content == "" || isOnlyComments(content) {
				continue
			}
			var raw interface{}
			if err := yaml.UnmarshalStrict([]byte(content), &raw); err != nil {
				return nil, fmt.Errorf("YAML parse error on %s: %v", output.name, err)
			}
			object, ok := stringKeys(raw).(map[string]interface{})
			if !ok {
				return nil, fmt.Errorf("%s: a document is not a mapping", output.name)
			}
			kind, _ := object["kind"].(string)
			if apiVersion, _ := object["apiVersion"].(string); apiVersion == "" || kind == "" {
				return nil, fmt.Errorf("%s: a document has no apiVersion or kind", output.name)
			}
			docs = append(docs, document{source: output.name, kind: kind, content: content, object: object})
		}
	}
	sort.SliceStable(docs, func(i, j int) bool { return rank(docs[i].kind) < rank(docs[j].kind) })
	sort.SliceStable(docs, func(i, j int) bool {
		if docs[i].isHook() != docs[j].isHook() {
			return !docs[i].isHook()
		}
		return docs[i].isHook() && docs[i].hookWeight() < docs[j].hookWeight()
	})
	return docs, nil
}

// annotation is the document's metadata.annotations[key], or "".
func (d document) annotation(key string) string {
	metadata, _ := d.object["metadata"].(map[string]interface{})
	annotations, _ := metadata["annotations"].(map[string]interface{})
	value, _ := annotations[key].(string)
	return value
}

func (d document) isHook() bool { return d.annotation("helm.sh/hook") != "" }

// hookWeight is helm's: the annotation as a whole number, 0 when absent or not a number.
func (d document) hookWeight() int {
	weight, err := strconv.Atoi(d.annotation("helm.sh/hook-weight"))
	if err != nil {
		return 0
	}
	return weight
}

// selectDocuments applies --no-hooks and --show-only (a template path as helm takes it,
// templates/FILE, or with the chart's name in front); a --show-only template that renders
// nothing is an error, as in helm.
func selectDocuments(docs []document, keep selection, c *chart) ([]document, error) {
	var kept []document
	for _, doc := range docs {
		if keep.noHooks && doc.isHook() {
			continue
		}
		if keep.showOnly != "" && doc.source != keep.showOnly && doc.source != c.name+"/"+keep.showOnly {
			continue
		}
		kept = append(kept, doc)
	}
	if keep.showOnly != "" && len(kept) == 0 {
		return nil, fmt.Errorf("could not find template %s in chart", keep.showOnly)
	}
	return kept, nil
}

func isOnlyComments(content string) bool {
	for _, line := range strings.Split(content, "\n") {
		if trimmed := strings.TrimSpace(line); trimmed != "" && !strings.HasPrefix(trimmed, "#") {
			return false
		}
	}
	return true
}

func rank(kind string) int {
	for i, k := range installOrder {
		if k == kind {
			return i
		}
	}
	return len(installOrder)
}

func documentsAsYAML(docs []document) string {
	var b strings.Builder
	for _, doc := range docs {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", doc.source, doc.content)
	}
	return b.String()
}

func documentsAsJSON(docs []document) (string, error) {
	objects := make([]interface{}, len(docs))
	for i, doc := range docs {
		objects[i] = doc.object
	}
	data, err := json.MarshalIndent(objects, "", "  ")
	if err != nil {
		return "", err
	}
	return string(data) + "\n", nil
}

// chartrender renders the Sluice Helm chart the way `helm template` does, for the tests: no helm
// binary can be installed on the build machines. It implements what the chart uses: Go
// templates with sprig's functions, helm's built-ins (include, required, fail, toYaml, toJson),
// .Values merged from values.yaml, -f files and --set, .Release, .Chart, and values.schema.json
// checked with a validator of the JSON Schema subset the schema uses.
//
//	chartrender [-f values.yaml]... [--set key=value[,key=value]]... [--name sluice]
//	            [--namespace kube-system] [--output yaml|json] [--notes] [--no-hooks]
//	            [--show-only templates/FILE] CHART_DIR
//
// Output on stdout: yaml (default) is helm template's: "---\n# Source: <template>\n<document>\n"
// per document, in helm's install order of kinds, then the hooks (documents annotated
// helm.sh/hook) ordered by kind and then by helm.sh/hook-weight, as helm template prints them;
// json is a JSON array of the same documents. --no-hooks leaves the hooks out and --show-only
// keeps one template's documents, as helm template's flags of those names do. --notes prints the
// rendered NOTES.txt instead. Errors go to stderr as "Error: <message>",
// worded as helm words them ("execution error at (<template>:<line>:<col>): <message>" for
// required and fail; "values don't meet the specifications of the schema(s) ..." for the
// schema), and exit 1; a bad command line exits 2.
//
// It is stricter than helm in two ways, so that what renders here renders with helm too: a
// missing map key is an error (helm lint --strict's missingkey=error), and a function helm has
// but the chart does not use (tpl, lookup, fromYaml, ...) is unknown.
package main

import (
	"flag"
	"fmt"
	"os"
)

type fileList []string

func (f *fileList) String() string     { return fmt.Sprint(*f) }
func (f *fileList) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var valueFiles, sets fileList
	flags := flag.NewFlagSet("chartrender", flag.ContinueOnError)
	flags.Var(&valueFiles, "f", "a values file merged over the chart's values.yaml (repeatable)")
	flags.Var(&sets, "set", "key=value pairs, comma-separated, merged last (repeatable)")
	name := flags.String("name", "sluice", "the release name")
	namespace := flags.String("namespace", "default", "the release namespace")
	output := flags.String("output", "yaml", "yaml or json")
	notes := flags.Bool("notes", false, "print the rendered NOTES.txt instead of the manifests")
	noHooks := flags.Bool("no-hooks", false, "leave out the documents annotated helm.sh/hook")
	showOnly := flags.String("show-only", "", "only the documents of this template (templates/FILE)")
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if flags.NArg() != 1 || (*output != "yaml" && *output != "json") {
		fmt.Fprintln(os.Stderr, "usage: chartrender [-f FILE]... [--set K=V]... [--name N] [--namespace NS] [--output yaml|json] [--notes] [--no-hooks] [--show-only templates/FILE] CHART_DIR")
		os.Exit(2)
	}

	text, err := run(flags.Arg(0), valueFiles, sets, release{Name: *name, Namespace: *namespace}, *output, *notes, selection{noHooks: *noHooks, showOnly: *showOnly})
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %s\n", err)
		os.Exit(1)
	}
	fmt.Print(text)
}

// selection is what --no-hooks and --show-only keep of the rendered documents.
type selection struct {
	noHooks  bool
	showOnly string
}

func run(chartDir string, valueFiles, sets []string, rel release, output string, notes bool, keep selection) (string, error) {
	chart, err := loadChart(chartDir)
	if err != nil {
		return "", err
	}
	values, err := mergedValues(chart, valueFiles, sets)
	if err != nil {
		return "", err
	}
	if err := checkSchema(chart, values); err != nil {
		return "", err
	}
	rendered, err := render(chart, values, rel)
	if err != nil {
		return "", err
	}
	if notes {
		return rendered.notes, nil
	}
	docs, err := splitDocuments(rendered.manifests)
	if err != nil {
		return "", err
	}
	docs, err = selectDocuments(docs, keep, chart)
	if err != nil {
		return "", err
	}
	if output == "json" {
		return documentsAsJSON(docs)
	}
	return documentsAsYAML(docs), nil
}

// cnidriver drives CNI plugins through libcni, the library containerd, CRI-O and podman use,
// so Sluice's tests exercise the plugins exactly as those runtimes call them (config list
// handling, prevResult injection, result caching, DEL in reverse order).
//
//	cnidriver add|check|del -conflist FILE -netns PATH -id ID [-ifname eth0] [-args K=V;K2=V2]
//	          [-cache-dir DIR] [-portmap HOST:CONTAINER/PROTO[@HOSTIP]]...
//
// CNI_PATH gives the plugin directories. ADD prints the result as JSON on stdout. Errors go to
// stderr as "error: <code> <message>" and exit 1.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/types"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: cnidriver add|check|del [flags]"))
	}
	command := os.Args[1]
	flags := flag.NewFlagSet(command, flag.ExitOnError)
	conflist := flags.String("conflist", "", "network configuration list file")
	netns := flags.String("netns", "", "network namespace path")
	id := flags.String("id", "", "container ID")
	ifname := flags.String("ifname", "eth0", "interface name")
	args := flags.String("args", "", "CNI_ARGS as K=V;K2=V2")
	cacheDir := flags.String("cache-dir", "", "libcni result cache directory")
	var portmaps portMappings
	flags.Var(&portmaps, "portmap", "a port mapping HOST:CONTAINER/PROTO[@HOSTIP] (portMappings capability); repeat for more")
	if err := flags.Parse(os.Args[2:]); err != nil {
		fail(err)
	}

	list, err := libcni.ConfListFromFile(*conflist)
	if err != nil {
		fail(err)
	}
	cni := libcni.NewCNIConfigWithCacheDir(filepath.SplitList(os.Getenv("CNI_PATH")), *cacheDir, nil)
	runtime := &libcni.RuntimeConf{ContainerID: *id, NetNS: *netns, IfName: *ifname, Args: parseArgs(*args)}
	if len(portmaps) > 0 {
		runtime.CapabilityArgs = map[string]interface{}{"portMappings": []map[string]interface{}(portmaps)}
	}

	ctx := context.Background()
	switch command {
	case "add":
		result, err := cni.AddNetworkList(ctx, list, runtime)
		if err != nil {
			fail(err)
		}
		out, _ := json.Marshal(result)
		fmt.Println(string(out))
	case "check":
		if err := cni.CheckNetworkList(ctx, list, runtime); err != nil {
			fail(err)
		}
	case "del":
		if err := cni.DelNetworkList(ctx, list, runtime); err != nil {
			fail(err)
		}
	default:
		fail(fmt.Errorf("unknown command %q", command))
	}
}

func parseArgs(text string) [][2]string {
	var pairs [][2]string
	for _, item := range strings.Split(text, ";") {
		if kv := strings.SplitN(item, "=", 2); len(kv) == 2 {
			pairs = append(pairs, [2]string{kv[0], kv[1]})
		}
	}
	return pairs
}

// portMappings collects repeated -portmap flags.
type portMappings []map[string]interface{}

func (p *portMappings) String() string { return fmt.Sprint(*p) }

func (p *portMappings) Set(text string) error {
	*p = append(*p, parsePortMapping(text))
	return nil
}

func parsePortMapping(text string) map[string]interface{} {
	protocol := "tcp"
	hostIP := ""
	if at := strings.Index(text, "@"); at >= 0 {
		hostIP = text[at+1:]
		text = text[:at]
	}
	if slash := strings.Index(text, "/"); slash >= 0 {
		protocol = text[slash+1:]
		text = text[:slash]
	}
	ports := strings.SplitN(text, ":", 2)
	host, _ := strconv.Atoi(ports[0])
	container, _ := strconv.Atoi(ports[1])
	// Go runtimes send capitalised keys; plugins must match them case-insensitively.
	return map[string]interface{}{"HostPort": host, "ContainerPort": container, "Protocol": protocol, "HostIP": hostIP}
}

func fail(err error) {
	if cniErr, ok := err.(*types.Error); ok {
		fmt.Fprintf(os.Stderr, "error: %d %s\n", cniErr.Code, cniErr.Msg)
	} else {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
	}
	os.Exit(1)
}

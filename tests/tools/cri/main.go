// cri is a minimal CRI client (what crictl does, for the few calls the tests make): it calls
// containerd's CRI API (runtime.v1, the API kubelet speaks) over gRPC on a Unix socket.
//
//	cri -address SOCKET [-schema-from /usr/bin/containerd] [-schema-cache FILE] [-timeout 2m]
//	    [Service/]Method [REQUEST-JSON | -]
//
// Service is RuntimeService (default) or ImageService. The request is the method's input
// message in protobuf's JSON mapping (field names as in api.proto or lowerCamelCase; "-" reads
// stdin; none means an empty message); the response is printed the same way. gRPC errors go
// to stderr as "error: <code> <message>" and exit 1.
//
// Debian packages no Go package of the CRI API (k8s.io/cri-api is vendored into containerd's
// source package but not shipped; nothing else has api.proto). The schema is therefore taken
// from the containerd binary itself: the gogo-protobuf generated code registers api.proto's
// gzipped FileDescriptorProto, which this tool finds in the executable, and messages are built
// with dynamicpb from it. So the client speaks exactly the schema of the daemon installed, and
// nothing is generated or downloaded.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

const criPackage = "runtime.v1"

func main() {
	address := flag.String("address", "", "containerd socket path (unix:// prefix optional)")
	schemaFrom := flag.String("schema-from", "/usr/bin/containerd", "executable holding the CRI API's registered descriptor")
	schemaCache := flag.String("schema-cache", "", "file caching the extracted descriptor (read when present, written otherwise)")
	timeout := flag.Duration("timeout", 2*time.Minute, "deadline of the call")
	flag.Parse()
	if *address == "" || flag.NArg() < 1 || flag.NArg() > 2 {
		fail(errors.New("usage: cri -address SOCKET [Service/]Method [REQUEST-JSON | -]"))
	}

	file, err := loadSchema(*schemaFrom, *schemaCache)
	if err != nil {
		fail(err)
	}
	method, err := findMethod(file, flag.Arg(0))
	if err != nil {
		fail(err)
	}
	request := dynamicpb.NewMessage(method.Input())
	if err := readRequest(flag.Args()[1:], request); err != nil {
		fail(fmt.Errorf("request for %s: %w", method.FullName(), err))
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	response, err := invoke(ctx, strings.TrimPrefix(*address, "unix://"), method, request)
	if err != nil {
		if s, ok := status.FromError(err); ok {
			fmt.Fprintf(os.Stderr, "error: %s %s\n", s.Code(), s.Message())
			os.Exit(1)
		}
		fail(err)
	}
	out, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(response)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

// loadSchema returns api.proto's descriptor, from the cache or from the executable.
func loadSchema(executable, cache string) (protoreflect.FileDescriptor, error) {
	raw, err := os.ReadFile(cache)
	if cache == "" || err != nil {
		if raw, err = extractDescriptor(executable); err != nil {
			return nil, err
		}
		if cache != "" {
			if err := os.WriteFile(cache, raw, 0o644); err != nil {
				return nil, err
			}
		}
	}
	var fd descriptorpb.FileDescriptorProto
	if err := proto.Unmarshal(raw, &fd); err != nil {
		return nil, fmt.Errorf("descriptor: %w", err)
	}
	// api.proto imports gogo.proto for its options only: leave that import unresolved.
	return protodesc.FileOptions{AllowUnresolvable: true}.New(&fd, new(protoregistry.Files))
}

// extractDescriptor scans the executable for gzip streams and returns the one holding a
// FileDescriptorProto of the CRI package.
func extractDescriptor(executable string) ([]byte, error) {
	data, err := os.ReadFile(executable)
	if err != nil {
		return nil, err
	}
	header := []byte{0x1f, 0x8b, 0x08, 0x00}
	for offset := 0; ; offset++ {
		next := bytes.Index(data[offset:], header)
		if next < 0 {
			return nil, fmt.Errorf("no %s descriptor found in %s", criPackage, executable)
		}
		offset += next
		reader, err := gzip.NewReader(bytes.NewReader(data[offset:]))
		if err != nil {
			continue
		}
		raw, _ := io.ReadAll(io.LimitReader(reader, 16<<20))
		var fd descriptorpb.FileDescriptorProto
		if len(raw) > 0 && proto.Unmarshal(raw, &fd) == nil && fd.GetPackage() == criPackage && len(fd.GetService()) > 0 {
			return raw, nil
		}
	}
}

func findMethod(file protoreflect.FileDescriptor, name string) (protoreflect.MethodDescriptor, error) {
	service, method := "RuntimeService", name
	if i := strings.Index(name, "/"); i >= 0 {
		service, method = name[:i], name[i+1:]
	}
	s := file.Services().ByName(protoreflect.Name(service))
	if s == nil {
		return nil, fmt.Errorf("no service %s in %s", service, criPackage)
	}
	m := s.Methods().ByName(protoreflect.Name(method))
	if m == nil {
		return nil, fmt.Errorf("no method %s in %s.%s", method, criPackage, service)
	}
	if m.IsStreamingClient() || m.IsStreamingServer() {
		return nil, fmt.Errorf("%s is a streaming method", m.FullName())
	}
	return m, nil
}

func readRequest(args []string, request *dynamicpb.Message) error {
	var text []byte
	switch {
	case len(args) == 0:
		return nil
	case args[0] == "-":
		var err error
		if text, err = io.ReadAll(os.Stdin); err != nil {
			return err
		}
	default:
		text = []byte(args[0])
	}
	return protojson.Unmarshal(text, request)
}

func invoke(ctx context.Context, socket string, method protoreflect.MethodDescriptor, request proto.Message) (proto.Message, error) {
	dial := func(ctx context.Context, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", socket)
	}
	conn, err := grpc.DialContext(ctx, "passthrough:///cri", grpc.WithInsecure(), grpc.WithBlock(), grpc.WithContextDialer(dial))
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", socket, err)
	}
	defer conn.Close()
	response := dynamicpb.NewMessage(method.Output())
	path := fmt.Sprintf("/%s/%s", method.Parent().FullName(), method.Name())
	if err := conn.Invoke(ctx, path, request, response, grpc.ForceCodec(dynamicCodec{})); err != nil {
		return nil, err
	}
	return response, nil
}

// dynamicCodec is gRPC's "proto" codec for messages built by dynamicpb.
type dynamicCodec struct{}

func (dynamicCodec) Marshal(v interface{}) ([]byte, error) { return proto.Marshal(v.(proto.Message)) }

func (dynamicCodec) Unmarshal(data []byte, v interface{}) error {
	return proto.Unmarshal(data, v.(proto.Message))
}

func (dynamicCodec) Name() string { return "proto" }

func fail(err error) {
	fmt.Fprintf(os.Stderr, "error: %v\n", err)
	os.Exit(1)
}

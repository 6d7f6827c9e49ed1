// Generates interop vectors for jnatsd's xkeys (nkeys v0.4.6 Seal/Open over golang.org/x/crypto v0.14.0 nacl/box).
// Output: src/test/resources/io/jnatsd/nkeys/xkeys-go-vectors.properties (read by XKeysTest). Run in GOPATH mode
// with nkeys v0.4.6, x/crypto v0.14.0 and x/sys v0.13.0 under $GOPATH/src: GO111MODULE=off go run .
package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/nats-io/nkeys"
)

// counter is a deterministic io.Reader: bytes start, start+1, ...
type counter struct{ next byte }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.next
		c.next++
	}
	return len(p), nil
}

func main() {
	server, _ := nkeys.CreateCurveKeysWithRand(&counter{next: 1})
	service, _ := nkeys.CreateCurveKeysWithRand(&counter{next: 101})
	serverSeed, _ := server.Seed()
	serviceSeed, _ := service.Seed()
	serverPub, _ := server.PublicKey()
	servicePub, _ := service.PublicKey()
	fmt.Printf("server.seed=%s\nserver.public=%s\n", serverSeed, serverPub)
	fmt.Printf("service.seed=%s\nservice.public=%s\n", serviceSeed, servicePub)
	messages := []string{
		"",
		"hello",
		strings.Repeat("auth callout request ", 40),
		"eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.payload.signature",
	}
	for i, m := range messages {
		sealed, err := server.SealWithRand([]byte(m), servicePub, &counter{next: byte(200 + i)})
		if err != nil {
			panic(err)
		}
		opened, err := service.Open(sealed, serverPub)
		if err != nil || !bytes.Equal(opened, []byte(m)) {
			panic("round trip")
		}
		fmt.Printf("message.%d=%s\nsealed.%d=%s\n", i, hex.EncodeToString([]byte(m)), i, hex.EncodeToString(sealed))
	}
}

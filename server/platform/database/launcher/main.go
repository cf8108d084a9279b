// Command db-launcher runs FerretDB (MongoDB wire protocol, SQLite storage) for Tally's
// dev mode and tests. It prints one JSON line with the connection URI once it listens, and
// exits when its standard input closes, so a parent that dies (even by SIGKILL) never leaves
// a database process behind.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data", ".data/ferretdb", "directory for the SQLite files")
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	flag.Parse()

	if err := run(*dataDir, *listen); err != nil {
		fmt.Fprintln(os.Stderr, "db-launcher:", err)
		os.Exit(1)
	}
}

func run(dataDir, listen string) error {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	ready, err := json.Marshal(map[string]string{"uri": f.MongoDBURI(), "pid": fmt.Sprint(os.Getpid())})
	if err != nil {
		return err
	}
	fmt.Println(string(ready))

	return <-done
}

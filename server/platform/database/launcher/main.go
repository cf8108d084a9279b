// Command db-launcher runs Tally's embedded database: PostgreSQL 16 (the binaries of npm's
// @embedded-postgres packages) with FerretDB 1.24.2's postgresql handler in front of it, which
// speaks the MongoDB wire protocol. It creates the data directory on first use (initdb, or a copy
// of a template), starts PostgreSQL on loopback only, as an unprivileged user when it runs as
// root, installs the index mirror (index-mirror.sql), prints one JSON line once FerretDB listens,
// and stops both when its standard input closes, so a parent that dies (even by SIGKILL) never
// leaves a database behind.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

//go:embed index-mirror.sql
var indexMirrorSQL string

type options struct {
	dataDir        string
	postgresDir    string
	listen         string
	template       string
	fsync          bool
	maxConnections int
	poolMaxConns   int
}

func init() {
	// PostgreSQL's parent-death signal is tied to the thread that started it: keep that one thread.
	runtime.LockOSThread()
}

func main() {
	var o options
	flag.StringVar(&o.dataDir, "data", ".data/postgres", "PostgreSQL data directory (created on first use)")
	flag.StringVar(&o.postgresDir, "postgres", "", "directory holding PostgreSQL's bin/, lib/ and share/")
	flag.StringVar(&o.listen, "listen", "127.0.0.1:0", "TCP address FerretDB listens on")
	flag.StringVar(&o.template, "template", "", "a data directory to copy instead of running initdb (made on first use)")
	flag.BoolVar(&o.fsync, "fsync", true, "PostgreSQL's fsync (tests turn it off)")
	flag.IntVar(&o.maxConnections, "max-connections", 500, "PostgreSQL's max_connections")
	flag.IntVar(&o.poolMaxConns, "pool-max-conns", 450, "connections FerretDB may open to PostgreSQL")
	flag.Parse()

	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "db-launcher:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.postgresDir == "" {
		return errors.New("-postgres is required")
	}
	if o.poolMaxConns >= o.maxConnections {
		return fmt.Errorf("-pool-max-conns (%d) must stay below -max-connections (%d)", o.poolMaxConns, o.maxConnections)
	}
	dataDir, err := filepath.Abs(o.dataDir)
	if err != nil {
		return err
	}
	o.dataDir = dataDir

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()

	acct, err := chooseAccount(o.postgresDir, filepath.Dir(o.dataDir))
	if err != nil {
		return err
	}
	if err := prepareDataDir(o, acct); err != nil {
		return err
	}
	password, err := os.ReadFile(filepath.Join(o.dataDir, passwordFile))
	if err != nil {
		return fmt.Errorf("reading the database password: %w", err)
	}

	pg, err := startPostgres(ctx, o, acct)
	if err != nil {
		return err
	}
	defer pg.stop()

	pgURL := fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s", superuser, string(password), pg.port, database)
	version, err := prepareDatabase(ctx, pgURL)
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: o.listen},
		Logger:   logger,
		Handler:  "postgresql",
		// FerretDB's own default of 50 hangs under 100 concurrent updates; it also replaces any
		// pool_max_conn_idle_time it is given with 1m, which we pass so the setting is visible.
		PostgreSQLURL: fmt.Sprintf("%s?pool_max_conns=%d&pool_max_conn_idle_time=1m", pgURL, o.poolMaxConns),
	})
	if err != nil {
		return err
	}

	ferretCtx, stopFerret := context.WithCancel(context.Background())
	defer stopFerret()
	done := make(chan error, 1)
	go func() { done <- f.Run(ferretCtx) }()

	ready, err := json.Marshal(map[string]string{
		"uri":        f.MongoDBURI(),
		"pid":        strconv.Itoa(os.Getpid()),
		"postgresql": version,
		"user":       acct.describe(),
	})
	if err != nil {
		return err
	}
	fmt.Println(string(ready))

	select {
	case <-ctx.Done():
		stopFerret()
		<-done
		return nil
	case err := <-pg.exited:
		stopFerret()
		<-done
		return fmt.Errorf("PostgreSQL exited: %v\n%s", err, pg.logTail())
	case err := <-done:
		return err
	}
}

// prepareDatabase installs the index mirror and returns PostgreSQL's version.
func prepareDatabase(ctx context.Context, url string) (string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, indexMirrorSQL); err != nil {
		return "", fmt.Errorf("installing the index mirror: %w", err)
	}
	var version string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return "", err
	}
	return version, nil
}

// waitFor polls check every 50 ms until it succeeds, ctx ends or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	superuser    = "postgres"
	database     = "postgres"
	passwordFile = "tally-password"
)

func binary(o options, name string) string {
	return filepath.Join(o.postgresDir, "bin", name)
}

// prepareDataDir leaves a PostgreSQL data directory at o.dataDir owned by acct: the one there, a
// copy of the template, or a new one from initdb.
func prepareDataDir(o options, acct *account) error {
	if _, err := os.Stat(filepath.Join(o.dataDir, "PG_VERSION")); err == nil {
		return acct.own(o.dataDir)
	}
	if entries, err := os.ReadDir(o.dataDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty and holds no PostgreSQL data (no PG_VERSION): move it away", o.dataDir)
	}
	if err := os.MkdirAll(filepath.Dir(o.dataDir), 0o755); err != nil {
		return err
	}
	if o.template == "" {
		return initializeDataDir(o, acct, o.dataDir)
	}
	template, err := filepath.Abs(o.template)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(template, "PG_VERSION")); err != nil {
		if err := initializeDataDir(o, acct, template); err != nil {
			return err
		}
	}
	staging := fmt.Sprintf("%s.copy-%d", o.dataDir, os.Getpid())
	if err := copyTree(template, staging); err != nil {
		_ = os.RemoveAll(staging)
		return fmt.Errorf("copying the template %s: %w", template, err)
	}
	_ = os.Remove(o.dataDir)
	if err := os.Rename(staging, o.dataDir); err != nil {
		_ = os.RemoveAll(staging)
		return err
	}
	return acct.own(o.dataDir)
}

// initializeDataDir runs initdb in a staging directory and renames it into place, so a crash
// mid-way never leaves a half-made data directory (and concurrent launchers can share a template).
func initializeDataDir(o options, acct *account, target string) error {
	staging := fmt.Sprintf("%s.init-%d", target, os.Getpid())
	_ = os.RemoveAll(staging)
	if err := os.MkdirAll(staging, 0o700); err != nil {
		return err
	}
	defer os.RemoveAll(staging)

	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	password := hex.EncodeToString(secret)
	pwfile := filepath.Join(staging, passwordFile)
	if err := os.WriteFile(pwfile, []byte(password), 0o600); err != nil {
		return err
	}
	if err := acct.own(staging); err != nil {
		return err
	}
	// initdb wants an empty directory: it reads the password from outside the one it fills.
	dataDir := filepath.Join(staging, "data")
	if err := os.Mkdir(dataDir, 0o700); err != nil {
		return err
	}
	if err := acct.own(dataDir); err != nil {
		return err
	}
	args := []string{
		"-D", dataDir, "-U", superuser, "--pwfile", pwfile,
		"--auth-local", "scram-sha-256", "--auth-host", "scram-sha-256",
		"-E", "UTF8", "--locale", "C", "--no-instructions",
	}
	if !o.fsync {
		args = append(args, "--no-sync")
	}
	cmd := exec.Command(binary(o, "initdb"), args...)
	cmd.Env = postgresEnv()
	cmd.SysProcAttr = sysProcAttr(acct)
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb failed as %s: %w\n%s", acct.describe(), err, output)
	}
	if err := os.Rename(pwfile, filepath.Join(dataDir, passwordFile)); err != nil {
		return err
	}
	if err := os.Rename(dataDir, target); err != nil {
		if _, statErr := os.Stat(filepath.Join(target, "PG_VERSION")); statErr == nil {
			return nil // another launcher made it first
		}
		return err
	}
	return nil
}

// copyTree copies regular files, directories and symlinks, keeping their modes.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		info, err := entry.Info()
		if err != nil {
			return err
		}
		switch {
		case entry.IsDir():
			return os.MkdirAll(target, info.Mode().Perm())
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case rel == "postmaster.pid" || rel == "postmaster.opts":
			return nil
		default:
			return copyFile(path, target, info.Mode().Perm())
		}
	})
}

func copyFile(from, to string, mode fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func postgresEnv() []string {
	env := []string{"LC_ALL=C", "LANG=C"}
	for _, name := range []string{"PATH", "TZ", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP"} {
		if value, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+value)
		}
	}
	return env
}

type postgresProcess struct {
	cmd    *exec.Cmd
	port   int
	exited chan error
	log    *tail
}

// startPostgres starts PostgreSQL on a free loopback port and waits until it accepts connections.
// A start that fails because the previous server has not quite gone (its lock file, its shared
// memory still attached by dying backends, the port) is tried again for up to 30 s.
func startPostgres(ctx context.Context, o options, acct *account) (*postgresProcess, error) {
	if err := waitForOldPostmaster(o.dataDir, 10*time.Second); err != nil {
		return nil, err
	}
	password, err := os.ReadFile(filepath.Join(o.dataDir, passwordFile))
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		pg, err := startPostgresOnce(ctx, o, acct, string(password))
		if err == nil {
			return pg, nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) || !retryable(err.Error()) {
			return nil, err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func retryable(message string) bool {
	for _, sign := range []string{"lock file", "shared memory block", "could not bind", "Address already in use", "postmaster.pid"} {
		if strings.Contains(message, sign) {
			return true
		}
	}
	return false
}

func startPostgresOnce(ctx context.Context, o options, acct *account, password string) (*postgresProcess, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{
		"-D", o.dataDir,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=",
		"-c", "max_connections=" + strconv.Itoa(o.maxConnections),
		"-c", "plan_cache_mode=force_custom_plan",
		"-c", "log_min_messages=warning",
	}
	if !o.fsync {
		// Commits still write their WAL before they answer (synchronous_commit stays on), so a
		// killed server loses nothing it acknowledged; only an operating-system crash could.
		args = append(args, "-c", "fsync=off", "-c", "full_page_writes=off")
	}
	log := &tail{}
	cmd := exec.Command(binary(o, "postgres"), args...)
	cmd.Env = postgresEnv()
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.SysProcAttr = sysProcAttr(acct)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting PostgreSQL as %s: %w", acct.describe(), err)
	}
	pg := &postgresProcess{cmd: cmd, port: port, exited: make(chan error, 1), log: log}
	go func() { pg.exited <- cmd.Wait() }()

	url := fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?connect_timeout=2", superuser, password, port, database)
	ready := make(chan error, 1)
	readyCtx, stopWaiting := context.WithCancel(ctx)
	defer stopWaiting()
	go func() {
		ready <- waitFor(readyCtx, 60*time.Second, func() error {
			conn, err := pgx.Connect(readyCtx, url)
			if err != nil {
				return err
			}
			return conn.Close(context.Background())
		})
	}()
	select {
	case err := <-ready:
		if err != nil {
			pg.stop()
			return nil, fmt.Errorf("PostgreSQL did not accept connections: %w\n%s", err, log.String())
		}
		return pg, nil
	case err := <-pg.exited:
		pg.exited <- err
		return nil, fmt.Errorf("PostgreSQL exited at start (%v):\n%s", err, log.String())
	}
}

// stop asks for a fast shutdown (clients disconnected, a checkpoint written) and, past 15 s, an
// immediate one.
func (pg *postgresProcess) stop() {
	if pg.cmd.ProcessState != nil {
		return
	}
	_ = interrupt(pg.cmd.Process)
	select {
	case err := <-pg.exited:
		pg.exited <- err
	case <-time.After(15 * time.Second):
		_ = pg.cmd.Process.Kill()
	}
}

func (pg *postgresProcess) logTail() string { return pg.log.String() }

func freePort() (int, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer listener.Close()
	return listener.Addr().(*net.TCPAddr).Port, nil
}

// tail keeps the last 8 KB of PostgreSQL's log for error messages.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 8192 {
		t.buf = t.buf[len(t.buf)-8192:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}

// oldPostmasterPID reads the process id a data directory's lock file names (0 when none).
func oldPostmasterPID(dataDir string) (int, error) {
	content, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(content), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return 0, nil
	}
	return pid, nil
}

//go:build unix

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// unprivilegedUser runs PostgreSQL when the launcher is root (PostgreSQL refuses to run as root).
const unprivilegedUser = "nobody"

// namespaceID is PostgreSQL's user and group inside a user namespace (see chooseAccount).
const namespaceID = 1000

// account is who runs initdb and PostgreSQL, and who owns the data directory.
type account struct {
	// switchUser is false when the launcher is not root: PostgreSQL runs as the launcher's user.
	switchUser bool
	// userNamespace: PostgreSQL runs as namespaceID in a user namespace of its own.
	userNamespace bool
	name          string
	uid, gid      int
}

// chooseAccount picks who runs PostgreSQL. As root that is the unprivileged user "nobody", which
// must be able to reach PostgreSQL's binaries and the data directory's parent. Where it cannot
// (say a checkout under /root), Linux runs PostgreSQL in a user namespace instead: uid 1000 there,
// without capabilities, and root's files appear as its own.
func chooseAccount(postgresDir, dataParent string) (*account, error) {
	if os.Geteuid() != 0 {
		return &account{name: currentUserName(), uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	nobody, err := user.Lookup(unprivilegedUser)
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs the unprivileged user %q: %w", unprivilegedUser, err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	if err := os.MkdirAll(dataParent, 0o755); err != nil {
		return nil, err
	}
	blocked := firstUnreachable(uid, gid, filepath.Join(postgresDir, "bin", "postgres"), dataParent)
	if blocked == "" {
		return &account{switchUser: true, name: unprivilegedUser, uid: uid, gid: gid}, nil
	}
	if runtime.GOOS != "linux" {
		return nil, fmt.Errorf("running as root, PostgreSQL runs as %q, which cannot reach %s: make it reachable (o+x) or run as another user", unprivilegedUser, blocked)
	}
	return &account{
		switchUser:    true,
		userNamespace: true,
		name:          fmt.Sprintf("uid %d in a user namespace (%s cannot reach %s)", namespaceID, unprivilegedUser, blocked),
		uid:           0,
		gid:           0,
	}, nil
}

func currentUserName() string {
	if current, err := user.Current(); err == nil {
		return current.Username
	}
	return strconv.Itoa(os.Geteuid())
}

func (a *account) describe() string { return a.name }

// firstUnreachable returns the first of paths (or of their parent directories) that uid/gid may
// not enter or run, or "" when all are reachable.
func firstUnreachable(uid, gid int, paths ...string) string {
	for _, target := range paths {
		for dir := target; ; dir = filepath.Dir(dir) {
			info, err := os.Stat(dir)
			if err != nil {
				return dir
			}
			stat, ok := info.Sys().(*syscall.Stat_t)
			if !ok {
				return dir
			}
			mode := info.Mode().Perm()
			var allowed bool
			switch {
			case int(stat.Uid) == uid:
				allowed = mode&0o100 != 0
			case int(stat.Gid) == gid:
				allowed = mode&0o010 != 0
			default:
				allowed = mode&0o001 != 0
			}
			if !allowed {
				return dir
			}
			if parent := filepath.Dir(dir); parent == dir {
				break
			}
		}
	}
	return ""
}

// own makes the account the owner of everything under root (a no-op unless the launcher is root).
func (a *account) own(root string) error {
	if !a.switchUser {
		return nil
	}
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	if stat, ok := info.Sys().(*syscall.Stat_t); ok && int(stat.Uid) == a.uid && int(stat.Gid) == a.gid && !info.IsDir() {
		return nil
	}
	return filepath.WalkDir(root, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, a.uid, a.gid)
	})
}

// waitForOldPostmaster waits for the server a data directory's lock file names to exit, so a
// restart right after a crash (a SIGKILL'd launcher leaves PostgreSQL shutting down) does not
// fail on postmaster.pid; one still running after `patience` is stopped immediately.
func waitForOldPostmaster(dataDir string, patience time.Duration) error {
	pid, err := oldPostmasterPID(dataDir)
	if err != nil || pid <= 0 || pid == os.Getpid() || !isPostgres(pid) {
		return err
	}
	deadline := time.Now().Add(patience)
	for alive(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGQUIT)
			time.Sleep(2 * time.Second)
			if alive(pid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			deadline = time.Now().Add(patience)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// isPostgres tells whether pid is a PostgreSQL process (where /proc says; elsewhere, any live pid).
func isPostgres(pid int) bool {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return alive(pid)
	}
	return strings.HasPrefix(strings.TrimSpace(string(comm)), "postgres")
}

func interrupt(process *os.Process) error {
	return process.Signal(syscall.SIGINT)
}

package main

import (
	"os"
	"syscall"
	"time"
)

// account on Windows: PostgreSQL runs as the launcher's own user.
type account struct{}

func chooseAccount(string, string) (*account, error) { return &account{}, nil }

func (a *account) describe() string { return "the current user" }

func (a *account) own(string) error { return nil }

func sysProcAttr(*account) *syscall.SysProcAttr { return nil }

// waitForOldPostmaster: PostgreSQL on Windows replaces a stale lock file itself.
func waitForOldPostmaster(string, time.Duration) error { return nil }

func interrupt(process *os.Process) error { return process.Kill() }

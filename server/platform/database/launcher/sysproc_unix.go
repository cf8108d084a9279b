//go:build unix && !linux

package main

import "syscall"

// sysProcAttr runs PostgreSQL as the account, in a process group of its own. Without Linux's
// parent-death signal, PostgreSQL notices a vanished launcher when FerretDB's connections drop.
func sysProcAttr(a *account) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if a.switchUser {
		attr.Credential = &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid), Groups: []uint32{}}
	}
	return attr
}

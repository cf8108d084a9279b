package main

import "syscall"

// sysProcAttr runs PostgreSQL as the account, in a process group of its own (a Ctrl-C reaches the
// launcher, which stops FerretDB first), and has the kernel stop it at once if the launcher dies.
func sysProcAttr(a *account) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	switch {
	case a.userNamespace:
		attr.Cloneflags = syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: namespaceID, HostID: a.uid, Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: namespaceID, HostID: a.gid, Size: 1}}
		attr.GidMappingsEnableSetgroups = false
		attr.Credential = &syscall.Credential{Uid: namespaceID, Gid: namespaceID, NoSetGroups: true}
	case a.switchUser:
		attr.Credential = &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid), Groups: []uint32{}}
	}
	return attr
}

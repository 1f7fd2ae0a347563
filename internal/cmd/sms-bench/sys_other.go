//go:build !linux

package main

import (
	"os"
	"os/exec"
	"time"
)

// Outside Linux the benchmark still runs, without process groups or peak RSS figures.

func setProcessGroup(*exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }

func setParentDeathSignal(*exec.Cmd) {}

func maxRSSBytes(*os.ProcessState) int64 { return 0 }

func selfCPUTime() time.Duration { return 0 }

type rssSampler struct{}

func startRSSSampler(int, time.Duration) *rssSampler { return &rssSampler{} }

func (*rssSampler) stop() int64 { return 0 }

//go:build !race

package e2e_test

// raceEnabled is false without -race; see e2e_race_test.go.
const raceEnabled = false

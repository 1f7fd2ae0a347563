//go:build !race

package provider

// raceEnabled is false without -race; see e2e_race_test.go.
const raceEnabled = false

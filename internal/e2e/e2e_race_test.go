//go:build race

package e2e_test

// raceEnabled makes the end-to-end harness build the provider with the race detector too, when
// the tests themselves run with -race, so that a data race inside the provider process fails
// the test that provoked it.
const raceEnabled = true

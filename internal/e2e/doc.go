// Package e2e holds the end-to-end tests, in the black-box package e2e_test: they build the
// provider binary from the module root, install it for the real terraform CLI and run terraform
// in temporary directories against the emulator, as a user would (e2e_harness_test.go). The
// examples under examples/ are installed from a local mirror and planned here too. The provider's
// own tests, which serve it in-process, stay in internal/provider.
package e2e

#pragma once
// Start-up of libsodium. Every function in parley::crypto calls init() itself, so callers never
// need to; app/ calls it early only so that a broken random source stops the server at start-up
// rather than at the first sign-in. Thread-safe.

namespace parley::crypto {

// Initialises libsodium once; later calls return at once. Aborts the process with a message on
// stderr if libsodium cannot initialise: without a secure random source nothing here is safe.
void init();

}  // namespace parley::crypto

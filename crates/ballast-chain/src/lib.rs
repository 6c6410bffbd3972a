//! Ballast's EVM side: contract ABIs and their decoding, with no IO. The app
//! sends the bytes; this crate builds and reads them, and turns untrusted
//! return data into engine types or a clear error.

pub mod aave_pool;

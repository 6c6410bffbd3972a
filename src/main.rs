//! The Ballast web app's entry point; everything lives in the library so the
//! browser tests can mount the same components.

fn main() {
    ballast_web::run();
}

//! Compiles the kiosk's Slint screens and bundles their translations into
//! the library, so the binary needs no files beside it at run time.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations(concat!(env!("CARGO_MANIFEST_DIR"), "/translations"));
    slint_build::compile_with_config("kiosk/main.slint", config)
        .expect("the kiosk's Slint sources compile");
}

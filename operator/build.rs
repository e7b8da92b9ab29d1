fn main() {
    let config =
        slint_build::CompilerConfiguration::new().with_bundled_translations("../ui/translations");
    slint_build::compile_with_config("../ui/operator/app.slint", config)
        .expect("Slint build failed");
}

//! The web app's entry point: mounts [`web::App`] into the page (its
//! `#explorer` element, or the body), or,
//! started in the page's web worker (which runs these same files), answers
//! the page's explorations instead.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        if web::browser::worker::in_a_worker() {
            pte_worker::worker::run();
            return;
        }
        // In index.html's element, replacing the title and introduction it
        // shows while the WebAssembly loads, and not in the whole body: Yew
        // empties the element it mounts in, and the body also holds the
        // app's stylesheet.
        if let Some(root) = web::browser::app_root() {
            yew::Renderer::<web::App>::with_root(root).render();
            return;
        }
    }
    yew::Renderer::<web::App>::new().render();
}

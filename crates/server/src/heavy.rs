//! Two threads of our own for the work that takes much CPU and memory at once: Argon2 hashes
//! (19 MiB each) and decoding photos for their display copies. Run on tokio's blocking pool, such
//! work lands on whichever of its many threads is free, and each thread's allocator keeps what it
//! once held; on two fixed threads the memory it needs stays at two jobs' worth, and two jobs at a
//! time is all two cores can do anyway.

use std::sync::{mpsc, LazyLock, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// Threads of the pool.
const THREADS: usize = 2;

static POOL: LazyLock<Mutex<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = std::sync::Arc::new(Mutex::new(rx));
    for n in 0..THREADS {
        let rx = rx.clone();
        std::thread::Builder::new()
            .name(format!("heavy-{n}"))
            .spawn(move || loop {
                let job = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            })
            .expect("the heavy-work threads start");
    }
    Mutex::new(tx)
});

/// Runs `work` on the pool and waits for it without blocking the async runtime. A panic in
/// `work` is an error here, and the thread lives on.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        let _ = tx.send(result);
    });
    POOL.lock()
        .map_err(|_| anyhow::anyhow!("the heavy-work pool is gone"))?
        .send(job)
        .map_err(|_| anyhow::anyhow!("the heavy-work pool is gone"))?;
    rx.await
        .map_err(|_| anyhow::anyhow!("heavy work was dropped"))?
        .map_err(|_| anyhow::anyhow!("heavy work panicked"))
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn work_runs_and_a_panic_is_an_error_not_a_lost_thread() {
        assert_eq!(super::run(|| 6 * 7).await.unwrap(), 42);
        for _ in 0..4 {
            assert!(super::run(|| -> u8 { panic!("bad photo") }).await.is_err());
        }
        let results =
            futures_util::future::join_all((0..8).map(|i| super::run(move || i * 2))).await;
        assert_eq!(
            results.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
            (0..8).map(|i| i * 2).collect::<Vec<_>>()
        );
    }
}

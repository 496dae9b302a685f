//! Two threads of our own for the work that takes much CPU and memory at once: Argon2 hashes
//! (19 MiB each) and decoding photos for their display copies. Run on tokio's blocking pool, such
//! work lands on whichever of its many threads is free, and each thread's allocator keeps what it
//! once held; on two fixed threads the memory it needs stays at two jobs' worth, and two jobs at a
//! time is all two cores can do anyway.
//!
//! The queue in front of them is bounded: past [`MAX_QUEUED`] jobs waiting or running, new work
//! is refused at once ([`HeavyError::Busy`], answered 503 with `Retry-After`) instead of queueing
//! without end while every caller times out.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    mpsc, Arc, LazyLock, Mutex,
};

type Job = Box<dyn FnOnce() + Send>;

/// Threads of the pool.
const THREADS: usize = 2;
/// Jobs waiting or running at most (an Argon2 hash takes about 50 ms here: a full queue is
/// about two seconds of work).
pub const MAX_QUEUED: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum HeavyError {
    /// The queue is full: try again shortly.
    #[error("the heavy-work queue is full")]
    Busy,
    #[error("heavy work failed: {0}")]
    Failed(&'static str),
    /// The work ran and returned an error.
    #[error(transparent)]
    Work(#[from] anyhow::Error),
}

struct Pool {
    tx: Mutex<mpsc::Sender<Job>>,
    queued: Arc<AtomicUsize>,
    max: usize,
}

impl Pool {
    fn new(threads: usize, max: usize) -> Pool {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..threads {
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
        Pool {
            tx: Mutex::new(tx),
            queued: Arc::default(),
            max,
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HeavyError> {
        if self.queued.fetch_add(1, Ordering::SeqCst) >= self.max {
            self.queued.fetch_sub(1, Ordering::SeqCst);
            return Err(HeavyError::Busy);
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        let queued = self.queued.clone();
        let job: Job = Box::new(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            queued.fetch_sub(1, Ordering::SeqCst);
            let _ = tx.send(result);
        });
        let sent = self
            .tx
            .lock()
            .map_err(|_| HeavyError::Failed("the pool is gone"))
            .and_then(|tx| {
                tx.send(job)
                    .map_err(|_| HeavyError::Failed("the pool is gone"))
            });
        if let Err(e) = sent {
            self.queued.fetch_sub(1, Ordering::SeqCst);
            return Err(e);
        }
        rx.await
            .map_err(|_| HeavyError::Failed("the job was dropped"))?
            .map_err(|_| HeavyError::Failed("the job panicked"))
    }
}

static POOL: LazyLock<Pool> = LazyLock::new(|| Pool::new(THREADS, MAX_QUEUED));

/// Runs `work` on the pool and waits for it without blocking the async runtime. A panic in
/// `work` is an error here, and the thread lives on; a full queue is [`HeavyError::Busy`].
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HeavyError> {
    POOL.run(work).await
}

/// [`run`] for work that can fail: its error is [`HeavyError::Work`].
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T, HeavyError> {
    Ok(run(work).await??)
}

/// Jobs waiting or running now (for the metrics).
pub fn queued() -> usize {
    POOL.queued.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_takes_work_again_when_it_drains() {
        let pool = Arc::new(Pool::new(1, 3));
        let gate = Arc::new((Mutex::new(false), std::sync::Condvar::new()));
        let blocked: Vec<_> = (0..3)
            .map(|i| {
                let (pool, gate) = (pool.clone(), gate.clone());
                tokio::spawn(async move {
                    pool.run(move || {
                        let (open, cv) = &*gate;
                        let mut open = open.lock().unwrap();
                        while !*open {
                            open = cv.wait(open).unwrap();
                        }
                        i
                    })
                    .await
                })
            })
            .collect();
        while pool.queued.load(Ordering::SeqCst) < 3 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(pool.run(|| 0).await, Err(HeavyError::Busy)));
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
        for (i, job) in blocked.into_iter().enumerate() {
            assert_eq!(job.await.unwrap().unwrap(), i);
        }
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }
}

//! Where upload bytes live: a folder of the data directory (one machine), or an S3-compatible
//! bucket that every instance behind a load balancer shares, so a tus upload may continue on
//! another instance than the one that started it.
//!
//! Keys are relative paths such as `staging/{id}/{part}` and `evidence/{id}/original`, made by
//! the upload module itself. Both backends make a write durable before it returns — the folder
//! fsyncs the file and its directory, the bucket answers a PUT only once it holds the object — so
//! whatever the database records as stored is there after a crash.
//!
//! The folder's file operations block, so they run on tokio's blocking threads, at most
//! [`FOLDER_IO`] at a time: fifty uploads at once wait their turn for the disk (which serialises
//! fsyncs anyway) instead of each holding a thread and its memory.
//!
//! [`Uploads`] is the store with the limits of what may be staged in it, the share of the
//! application state that uploads, tips and certificates use.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use anyhow::{bail, Context};
use bytes::{Bytes, BytesMut};
use futures_util::{stream::BoxStream, StreamExt, TryStreamExt};
use object_store::{
    aws::AmazonS3Builder, buffered::BufWriter, path::Path as ObjectPath, ObjectStore,
    ObjectStoreExt,
};
use secrecy::{ExposeSecret, SecretString};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    sync::Semaphore,
};

/// Bytes per read from the local folder.
const READ_CHUNK: usize = 64 * 1024;
/// Blocking file operations of the folder store at once.
const FOLDER_IO: usize = 4;
/// Bytes a bucket writer holds before it starts a multipart upload, and the size of each part
/// (S3's minimum part size): the most memory one streamed write takes.
const S3_PART: usize = 5 * 1024 * 1024;

/// An S3-compatible bucket. Credentials and region not given here come from the standard `AWS_*`
/// environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` …).
#[derive(Clone, Debug, Default)]
pub struct S3Config {
    pub bucket: String,
    /// The service's URL, e.g. `http://127.0.0.1:9000` for MinIO; AWS itself when absent.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<SecretString>,
}

/// The upload store.
pub enum Store {
    /// A folder on this machine.
    Local(Folder),
    /// A bucket, shared by every instance.
    S3 {
        bucket: String,
        store: Arc<dyn ObjectStore>,
    },
}

/// A folder store: its root, and the turns of its blocking file operations.
pub struct Folder {
    root: PathBuf,
    io: Arc<Semaphore>,
}

impl Folder {
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        check_key(key)?;
        Ok(self.root.join(key))
    }
}

/// Runs a blocking file operation on tokio's blocking threads when its turn comes.
async fn blocking<T: Send + 'static>(
    io: &Semaphore,
    op: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let _turn = io.acquire().await?;
    tokio::task::spawn_blocking(op)
        .await
        .context("a file operation failed")?
}

impl Store {
    /// A folder, created if missing.
    pub fn local(root: impl Into<PathBuf>) -> anyhow::Result<Store> {
        let root = root.into();
        std::fs::create_dir_all(&root)
            .with_context(|| format!("cannot create the upload folder {}", root.display()))?;
        Ok(Store::Local(Folder {
            root,
            io: Arc::new(Semaphore::new(FOLDER_IO)),
        }))
    }

    /// A bucket; it must exist already.
    pub fn s3(config: &S3Config) -> anyhow::Result<Store> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&config.bucket);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(region) = &config.region {
            builder = builder.with_region(region);
        }
        if let Some(id) = &config.access_key_id {
            builder = builder.with_access_key_id(id);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret.expose_secret());
        }
        let store = builder
            .build()
            .context("the S3 settings are incomplete or invalid")?;
        Ok(Store::S3 {
            bucket: config.bucket.clone(),
            store: Arc::new(store),
        })
    }

    /// Where the bytes go, for the start-up log.
    pub fn describe(&self) -> String {
        match self {
            Store::Local(folder) => format!("folder {}", folder.root.display()),
            Store::S3 { bucket, .. } => format!("bucket s3://{bucket}"),
        }
    }

    /// Stores `data` under `key`, durably, replacing what was there.
    pub async fn put(&self, key: &str, data: Bytes) -> anyhow::Result<()> {
        match self {
            Store::Local(folder) => {
                let path = folder.path(key)?;
                blocking(&folder.io, move || write_durably(&path, &data)).await
            }
            Store::S3 { store, .. } => {
                store
                    .put(&object_path(key)?, data.into())
                    .await
                    .with_context(|| format!("cannot store {key}"))?;
                Ok(())
            }
        }
    }

    /// A writer for an object that arrives in pieces; nothing is visible under `key` until
    /// [`Writer::finish`]. The folder writes each piece to a file at once; the bucket holds up to
    /// [`S3_PART`] bytes in memory before it starts a multipart upload.
    pub async fn writer(&self, key: &str) -> anyhow::Result<Writer> {
        match self {
            Store::Local(folder) => {
                let path = folder.path(key)?;
                let tmp = temporary(&path);
                let created = tmp.clone();
                let file = blocking(&folder.io, move || {
                    if let Some(dir) = created.parent().filter(|d| !d.exists()) {
                        std::fs::create_dir_all(dir)?;
                        // The new folder's own entry must survive too.
                        sync_parent(dir)?;
                    }
                    std::fs::File::create(&created)
                        .with_context(|| format!("cannot create {}", created.display()))
                })
                .await?;
                Ok(Writer::Local {
                    file: Arc::new(file),
                    tmp,
                    path,
                    io: folder.io.clone(),
                })
            }
            Store::S3 { store, .. } => Ok(Writer::S3(
                BufWriter::with_capacity(store.clone(), object_path(key)?, S3_PART)
                    .with_max_concurrency(2),
            )),
        }
    }

    /// The object's bytes, streamed.
    pub async fn read(
        &self,
        key: &str,
    ) -> anyhow::Result<BoxStream<'static, anyhow::Result<Bytes>>> {
        match self {
            Store::Local(folder) => {
                let file = tokio::fs::File::open(folder.path(key)?)
                    .await
                    .with_context(|| format!("cannot open {key}"))?;
                Ok(
                    futures_util::stream::try_unfold(file, |mut file| async move {
                        let mut buf = BytesMut::with_capacity(READ_CHUNK);
                        let n = file.read_buf(&mut buf).await?;
                        Ok((n > 0).then(|| (buf.freeze(), file)))
                    })
                    .boxed(),
                )
            }
            Store::S3 { store, .. } => {
                let got = store
                    .get(&object_path(key)?)
                    .await
                    .with_context(|| format!("cannot read {key}"))?;
                Ok(got.into_stream().map_err(anyhow::Error::from).boxed())
            }
        }
    }

    /// The first bytes of a (non-empty) object, at most `len`: a ranged read, so sniffing a
    /// file's type never fetches the file.
    pub async fn read_start(&self, key: &str, len: usize) -> anyhow::Result<Bytes> {
        match self {
            Store::Local(folder) => {
                let path = folder.path(key)?;
                blocking(&folder.io, move || {
                    use std::io::Read;
                    let mut start = Vec::with_capacity(len);
                    std::fs::File::open(path)?
                        .take(len as u64)
                        .read_to_end(&mut start)?;
                    Ok(start.into())
                })
                .await
            }
            Store::S3 { store, .. } => Ok(store
                .get_range(&object_path(key)?, 0..len as u64)
                .await
                .with_context(|| format!("cannot read {key}"))?),
        }
    }

    /// Removes an object; one that is already gone is no error.
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self {
            Store::Local(folder) => {
                let path = folder.path(key)?;
                blocking(&folder.io, move || {
                    ignore_missing(std::fs::remove_file(path))
                })
                .await
            }
            Store::S3 { store, .. } => match store.delete(&object_path(key)?).await {
                Err(object_store::Error::NotFound { .. }) | Ok(()) => Ok(()),
                Err(e) => Err(e.into()),
            },
        }
    }

    /// Removes every object under the folder `prefix`.
    pub async fn delete_all(&self, prefix: &str) -> anyhow::Result<()> {
        match self {
            Store::Local(folder) => {
                let path = folder.path(prefix)?;
                blocking(&folder.io, move || {
                    ignore_missing(std::fs::remove_dir_all(path))
                })
                .await
            }
            Store::S3 { .. } => {
                for key in self.list(prefix).await? {
                    self.delete(&key).await?;
                }
                Ok(())
            }
        }
    }

    /// The keys of every object under the folder `prefix` (finished writes only).
    pub async fn list(&self, prefix: &str) -> anyhow::Result<Vec<String>> {
        match self {
            Store::Local(folder) => {
                let (root, start) = (folder.root.clone(), folder.path(prefix)?);
                blocking(&folder.io, move || {
                    let mut keys = Vec::new();
                    list_folder(&root, &start, &mut keys)?;
                    keys.sort();
                    Ok(keys)
                })
                .await
            }
            Store::S3 { store, .. } => Ok(store
                .list(Some(&object_path(prefix)?))
                .map_ok(|meta| meta.location.to_string())
                .try_collect()
                .await
                .with_context(|| format!("cannot list {prefix}"))?),
        }
    }
}

fn ignore_missing(done: std::io::Result<()>) -> anyhow::Result<()> {
    match done {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// A streamed write in progress; [`Writer::finish`] makes it durable and visible,
/// [`Writer::abort`] drops it.
pub enum Writer {
    Local {
        file: Arc<std::fs::File>,
        tmp: PathBuf,
        path: PathBuf,
        io: Arc<Semaphore>,
    },
    S3(BufWriter),
}

impl Writer {
    pub async fn write(&mut self, data: Bytes) -> anyhow::Result<()> {
        match self {
            Writer::Local { file, io, .. } => {
                let file = file.clone();
                blocking(io, move || {
                    use std::io::Write;
                    Ok((&*file).write_all(&data)?)
                })
                .await
            }
            Writer::S3(writer) => Ok(writer.put(data).await?),
        }
    }

    pub async fn finish(self) -> anyhow::Result<()> {
        match self {
            Writer::Local {
                file,
                tmp,
                path,
                io,
            } => {
                blocking(&io, move || {
                    file.sync_all()?;
                    drop(file);
                    std::fs::rename(&tmp, &path)?;
                    sync_parent(&path)
                })
                .await
            }
            Writer::S3(mut writer) => Ok(writer.shutdown().await?),
        }
    }

    pub async fn abort(self) {
        match self {
            Writer::Local { file, tmp, io, .. } => {
                drop(file);
                let _ = blocking(&io, move || ignore_missing(std::fs::remove_file(tmp))).await;
            }
            Writer::S3(mut writer) => {
                let _ = writer.abort().await;
            }
        }
    }
}

/// Keys are made by this module, never taken from a request; checking them anyway keeps a bug
/// from ever reaching outside the store.
fn check_key(key: &str) -> anyhow::Result<()> {
    let ok = !key.is_empty()
        && key.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        });
    if !ok {
        bail!("not a storage key: {key:?}");
    }
    Ok(())
}

fn object_path(key: &str) -> anyhow::Result<ObjectPath> {
    check_key(key)?;
    Ok(ObjectPath::from(key))
}

/// A name beside `path` that no listing reports (see [`list_folder`]) and no other writer picks.
fn temporary(path: &Path) -> PathBuf {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{:08x}.tmp", OsRng.next_u32()));
    PathBuf::from(name)
}

/// Writes `data` to a temporary file, fsyncs it, renames it over `path` and fsyncs the folder:
/// after a crash the key holds either the old bytes or all the new ones.
fn write_durably(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path.parent().context("a key has a folder")?;
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        // The new folder's own entry must survive too.
        sync_parent(dir)?;
    }
    let tmp = temporary(path);
    let mut file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    file.write_all(data)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    sync_parent(path)
}

fn sync_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn list_folder(root: &Path, dir: &Path, keys: &mut Vec<String>) -> anyhow::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            list_folder(root, &path, keys)?;
        } else if path.extension().is_none_or(|ext| ext != "tmp") {
            let key = path
                .strip_prefix(root)?
                .to_string_lossy()
                .replace('\\', "/");
            keys.push(key);
        }
    }
    Ok(())
}

/// Limits of evidence uploads (`portal-server serve` flags).
#[derive(Debug, Clone)]
pub struct UploadConfig {
    /// Files per tip.
    pub max_files: usize,
    /// Bytes per file (tus `Tus-Max-Size`).
    pub max_file_bytes: u64,
    /// Bytes per tip, all files together.
    pub max_tip_bytes: u64,
    /// How long an unclaimed upload is kept after its last stored byte.
    pub expire_after: Duration,
    /// Bytes all unclaimed uploads together may announce: past it new uploads are refused (507
    /// with `Retry-After`) before they can fill the disk or the bucket.
    pub max_staged_bytes: u64,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            max_files: 10,
            max_file_bytes: 20 * 1024 * 1024,
            max_tip_bytes: 50 * 1024 * 1024,
            max_staged_bytes: 2048 * 1024 * 1024,
            expire_after: Duration::from_secs(24 * 3600),
        }
    }
}

/// Photos decoded at once for display copies: decoding takes memory in proportion to pixels.
const DECODING_AT_ONCE: usize = 2;

/// The upload feature's share of the application state: its limits and its store.
pub struct Uploads {
    pub config: UploadConfig,
    store: Store,
    pub(crate) decoding: tokio::sync::Semaphore,
}

impl Uploads {
    pub fn new(config: UploadConfig, store: Store) -> Uploads {
        Uploads {
            config,
            store,
            decoding: tokio::sync::Semaphore::new(DECODING_AT_ONCE),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_inside_the_store() {
        for good in [
            "staging/ab12/000000000000-0a1b2c3d",
            "evidence/ab12/original",
        ] {
            assert!(check_key(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "staging/../../x",
            "a//b",
            "a/./b",
            "a b",
            "a\\b",
        ] {
            assert!(check_key(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn the_folder_store_writes_reads_lists_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::local(dir.path()).unwrap();
        store
            .put("staging/u1/0", Bytes::from_static(b"hello "))
            .await
            .unwrap();
        let mut w = store.writer("staging/u1/1").await.unwrap();
        w.write(Bytes::from_static(b"wor")).await.unwrap();
        assert_eq!(
            store.list("staging").await.unwrap(),
            ["staging/u1/0"],
            "unfinished writes are invisible"
        );
        w.write(Bytes::from_static(b"ld")).await.unwrap();
        w.finish().await.unwrap();
        let aborted = store.writer("staging/u1/2").await.unwrap();
        aborted.abort().await;
        assert_eq!(
            store.list("staging").await.unwrap(),
            ["staging/u1/0", "staging/u1/1"]
        );
        let mut text = Vec::new();
        for key in store.list("staging/u1").await.unwrap() {
            let chunks: Vec<Bytes> = store.read(&key).await.unwrap().try_collect().await.unwrap();
            text.extend(chunks.concat());
        }
        assert_eq!(text, b"hello world");
        store.delete("staging/u1/0").await.unwrap();
        store.delete("staging/u1/0").await.unwrap();
        store.delete_all("staging/u1").await.unwrap();
        store.delete_all("staging/u1").await.unwrap();
        assert!(store.list("staging").await.unwrap().is_empty());
        assert!(store.read("staging/u1/1").await.is_err());
        store
            .put("evidence/x", Bytes::from_static(b"%PDF-1.7"))
            .await
            .unwrap();
        assert_eq!(store.read_start("evidence/x", 5).await.unwrap(), "%PDF-");
        assert_eq!(
            store.read_start("evidence/x", 16).await.unwrap(),
            "%PDF-1.7"
        );
    }
}

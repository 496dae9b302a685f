//! Evidence files of a declaration or a request: ids of finished tus uploads, under the tips'
//! limit on their number (the server's `max_files`, the same for every form).

use crate::error::{ErrorCode, Invalid};

/// The upload ids given, trimmed, without blanks and repeats, in the order given; at most
/// `max_files` of them.
pub(crate) fn evidence(given: &[String], max_files: usize) -> Result<Vec<String>, Invalid> {
    let mut uploads: Vec<String> = Vec::new();
    for u in given {
        let u = u.trim();
        if !u.is_empty() && !uploads.iter().any(|seen| seen == u) {
            uploads.push(u.to_owned());
        }
    }
    let count = uploads.len();
    if count > max_files {
        return Err(Invalid::new(
            ErrorCode::TooManyFiles,
            format!("最多上传{max_files}个文件，当前为{count}个"),
            format!("At most {max_files} files; this has {count}"),
        ));
    }
    Ok(uploads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_dedups_and_counts() {
        let given: Vec<String> = [" a ", "b", "", "a", "c"].map(String::from).to_vec();
        assert_eq!(
            evidence(&given, 3),
            Ok(vec!["a".into(), "b".into(), "c".into()])
        );
        let e = evidence(&given, 2).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyFiles);
        assert!(e.zh.contains("最多上传2个文件，当前为3个"), "{}", e.zh);
        assert_eq!(evidence(&[], 0), Ok(vec![]));
    }
}

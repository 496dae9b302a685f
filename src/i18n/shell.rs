//! The Leptos bundles' common states: "data as of", the 404 page, the error fallback, client-side
//! request errors and evidence uploads. The chrome every bundle shares (header, navigation, footer,
//! loading, retry, network errors) is `portal_lite::chrome`, reached as [`super::Tr::chrome`].

use portal_lite::words;

pub struct ShellTr {
    pub(crate) as_of_label: &'static str,
    pub(crate) back_home: &'static str,
    pub(crate) not_found_title: &'static str,
    pub(crate) not_found_text: &'static str,
    /// Heading of the fallback shown when a page fails to render.
    pub(crate) error_heading: &'static str,
    /// What to do when a page fails to render.
    pub(crate) error_text: &'static str,
    /// No answer from the server: offline, timed out, or the connection broke.
    /// An answer this client cannot read (the server writes its own errors in the request's language).
    pub(crate) server_error: &'static str,
    // Evidence uploads, shared by every form that takes files.
    pub(crate) file_uploading: fn(u32) -> String,
    pub(crate) file_done: &'static str,
    pub(crate) file_failed: &'static str,
    pub(crate) file_retry: &'static str,
    pub(crate) file_remove: &'static str,
    pub(crate) files_busy: &'static str,
}

pub(crate) static ZH: ShellTr = ShellTr {
    as_of_label: words::ZH.data_as_of,
    back_home: "返回首页",
    not_found_title: "页面不存在",
    not_found_text: "您访问的页面不存在或已被移除。请检查网址，或返回首页重新查询。",
    error_heading: "出错了",
    error_text: "页面出了点问题。请刷新页面重试，或返回首页。",
    server_error: "服务器暂时出错，请稍后再试",
    file_uploading: |p| format!("上传中 {p}%"),
    file_done: "已上传",
    file_failed: "上传中断",
    file_retry: "继续上传",
    file_remove: "移除",
    files_busy: "请等待文件上传完成",
};

pub(crate) static EN: ShellTr = ShellTr {
    as_of_label: words::EN.data_as_of,
    back_home: "Back to the home page",
    not_found_title: "Page not found",
    not_found_text: "The page you asked for does not exist or was removed. Check the address or go back to the home page.",
    error_heading: "Something went wrong",
    error_text: "This page ran into a problem. Reload it to try again, or go back to the home page.",
    server_error: "Server error; please try again later",
    file_uploading: |p| format!("Uploading {p}%"),
    file_done: "Uploaded",
    file_failed: "Upload interrupted",
    file_retry: "Resume",
    file_remove: "Remove",
    files_busy: "Wait until the files have uploaded",
};

-- WeChat's access token and JS-SDK ticket (DESIGN §7.9), each valid 7,200 s, shared by every
-- instance: WeChat limits how often they may be fetched, and a new token ends the old one's life.
-- kind is access_token or jsapi_ticket; one instance at a time refreshes (refreshing_until).
CREATE TABLE wechat_credentials (
    app_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    refreshing_until BIGINT NOT NULL,
    PRIMARY KEY (app_id, kind)
);

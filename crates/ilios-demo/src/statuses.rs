//! `/api/v3/usersessionmaterialstatuses`, stored per user as Ilios does
//! (`src/Controller/API/UserSessionMaterialStatuses.php`, `src/Entity/UserSessionMaterialStatus.php`,
//! `src/RelationshipVoter/UserSessionMaterialStatus.php`: every action only on one's own records).
//!
//! Plain JSON: GET (one, or all with `filters`), POST, PUT (update or create), DELETE.
//! JSON:API (`Accept: application/vnd.api+json`, as the web client's ember-data sends): GET, POST
//! and PATCH; PUT with it is refused as Ilios refuses it.

use std::collections::HashSet;
use std::sync::Mutex;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::db::{Db, User};
use super::jwt::iso_dt;
use super::rest::{Query, matches_field};

/// `UserSessionMaterialStatusInterface::NONE | STARTED | COMPLETE`.
const STATUSES: [i64; 3] = [0, 1, 2];

#[derive(Clone, Debug)]
pub struct StatusRecord {
    pub id: u64,
    pub user: u64,
    pub material: u64,
    pub status: i64,
    pub updated_at: DateTime<Utc>,
}

impl StatusRecord {
    /// The DTO, in `UserSessionMaterialStatusDTO`'s property order.
    fn plain(&self) -> Value {
        json!({
            "user": self.user,
            "material": self.material,
            "id": self.id,
            "status": self.status,
            "updatedAt": iso_dt(&self.updated_at),
        })
    }

    fn json_api(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "type": "userSessionMaterialStatuses",
            "attributes": {"status": self.status, "updatedAt": iso_dt(&self.updated_at)},
            "relationships": {
                "user": {"data": {"type": "users", "id": self.user.to_string()}},
                "material": {"data": {"type": "sessionLearningMaterials", "id": self.material.to_string()}},
            },
        })
    }
}

/// The table: every user's records, ids from 1.
#[derive(Default)]
pub struct Store {
    records: Mutex<Vec<StatusRecord>>,
}

/// What a handler answers: a status and a JSON body (`None`: no body, as for 204).
pub type Reply = (StatusCode, Option<Value>);

/// How one item of a write body is read (plain JSON or JSON:API).
type FieldReader = fn(&Value) -> Result<Fields, Reply>;

fn error(status: StatusCode) -> Reply {
    let reason = status.canonical_reason().unwrap_or("Unknown");
    (
        status,
        Some(json!({"code": status.as_u16(), "message": reason})),
    )
}

fn bad_request(message: &str) -> Reply {
    (
        StatusCode::BAD_REQUEST,
        Some(json!({"code": 400, "message": message})),
    )
}

/// The fields a write may set (`id` and `updatedAt` are `OnlyReadable`).
#[derive(Debug, Default, Clone, Copy)]
struct Fields {
    user: Option<u64>,
    material: Option<u64>,
    status: Option<i64>,
}

fn id_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn plain_fields(v: &Value) -> Result<Fields, Reply> {
    if !v.is_object() {
        return Err(error(StatusCode::BAD_REQUEST));
    }
    Ok(Fields {
        user: v.get("user").and_then(id_of),
        material: v.get("material").and_then(id_of),
        status: match v.get("status") {
            None | Some(Value::Null) => None,
            Some(s) => Some(s.as_i64().ok_or_else(|| {
                bad_request("Error in *status*: This value should be of type integer.")
            })?),
        },
    })
}

fn json_api_fields(v: &Value) -> Result<Fields, Reply> {
    let attrs = v.get("attributes").cloned().unwrap_or(json!({}));
    let rel = |name: &str| {
        v.get("relationships")
            .and_then(|r| r.get(name))
            .and_then(|r| r.get("data"))
            .and_then(|d| d.get("id"))
            .and_then(id_of)
    };
    let mut f = plain_fields(&attrs)?;
    f.user = rel("user");
    f.material = rel("material");
    Ok(f)
}

/// Every session learning material id of the data set.
fn session_material_ids(db: &Db) -> HashSet<u64> {
    db.session_extras
        .values()
        .flat_map(|x| x.materials.iter().map(|m| m.id))
        .collect()
}

/// `Assert\NotNull` on user, material and status, `Assert\Choice` on status, then the voter.
fn validate(db: &Db, caller: &User, f: Fields) -> Result<(u64, u64, i64), Reply> {
    let status = f
        .status
        .ok_or_else(|| bad_request("Error in *status*: This value should not be null."))?;
    if !STATUSES.contains(&status) {
        return Err(bad_request(
            "Error in *status*: The value you selected is not a valid choice.",
        ));
    }
    let user = f
        .user
        .filter(|u| db.user(*u).is_some())
        .ok_or_else(|| bad_request("Error in *user*: This value should not be null."))?;
    let material = f
        .material
        .filter(|m| session_material_ids(db).contains(m))
        .ok_or_else(|| bad_request("Error in *material*: This value should not be null."))?;
    if user != caller.id {
        return Err(error(StatusCode::FORBIDDEN));
    }
    Ok((user, material, status))
}

/// One request, already authenticated. `id` is the path's id; `json_api` the Accept header.
pub struct Request<'a> {
    pub method: &'a str,
    pub id: Option<u64>,
    pub query: &'a Query,
    pub body: &'a [u8],
    pub json_api: bool,
    pub now: DateTime<Utc>,
}

impl Store {
    /// The users who have records.
    pub fn users(&self) -> Vec<u64> {
        let mut users: Vec<u64> = self
            .records
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.user)
            .collect();
        users.sort_unstable();
        users.dedup();
        users
    }

    /// The ids of one user's records (the user's `sessionMaterialStatuses`).
    pub fn ids_of(&self, user: u64) -> Vec<u64> {
        let records = self.records.lock().unwrap();
        records
            .iter()
            .filter(|r| r.user == user)
            .map(|r| r.id)
            .collect()
    }

    pub fn handle(&self, db: &Db, caller: &User, req: Request<'_>) -> Reply {
        match (req.method, req.id) {
            ("GET" | "HEAD", Some(id)) => self.get_one(caller, id, req.json_api),
            ("GET" | "HEAD", None) => self.get_all(caller, req.query, req.json_api),
            ("POST", None) => self.post(db, caller, &req),
            ("PUT", Some(id)) if !req.json_api => self.put(db, caller, id, &req),
            ("PUT", Some(_)) => {
                bad_request("PUT is not allowed for JSON:API requests, use PATCH instead")
            }
            ("PATCH", Some(id)) if req.json_api => self.patch(db, caller, id, &req),
            ("DELETE", Some(id)) => self.delete(caller, id),
            _ => error(StatusCode::NOT_FOUND),
        }
    }

    fn render(items: &[StatusRecord], json_api: bool, one: bool) -> Value {
        if json_api {
            let data: Vec<Value> = items.iter().map(StatusRecord::json_api).collect();
            match (one, data.first()) {
                (true, Some(d)) => json!({"data": d}),
                _ => json!({"data": data}),
            }
        } else if one {
            json!({"userSessionMaterialStatus": items.first().map(StatusRecord::plain)})
        } else {
            let list: Vec<Value> = items.iter().map(StatusRecord::plain).collect();
            json!({"userSessionMaterialStatuses": list})
        }
    }

    /// `handleGetOne`: 404 for an unknown id, `[]` for another user's record.
    fn get_one(&self, caller: &User, id: u64, json_api: bool) -> Reply {
        let records = self.records.lock().unwrap();
        let Some(r) = records.iter().find(|r| r.id == id) else {
            return error(StatusCode::NOT_FOUND);
        };
        let visible: Vec<StatusRecord> = (r.user == caller.id)
            .then(|| r.clone())
            .into_iter()
            .collect();
        (
            StatusCode::OK,
            Some(Self::render(&visible, json_api, false)),
        )
    }

    /// `handleGetAll`: filters on the DTO's fields, others 500; only one's own records.
    fn get_all(&self, caller: &User, query: &Query, json_api: bool) -> Reply {
        const FIELDS: [&str; 5] = ["id", "user", "material", "status", "updatedAt"];
        let unknown = |f: &String| !FIELDS.contains(&f.as_str());
        if query.filters.iter().any(|(f, _)| unknown(f))
            || query.order_by.iter().any(|(f, _)| unknown(f))
        {
            return error(StatusCode::INTERNAL_SERVER_ERROR);
        }
        let records = self.records.lock().unwrap();
        let mut items: Vec<(StatusRecord, Value)> = records
            .iter()
            .map(|r| (r.clone(), r.plain()))
            .filter(|(_, v)| {
                query
                    .filters
                    .iter()
                    .all(|(f, fv)| matches_field(v.get(f), fv))
            })
            .filter(|(r, _)| r.user == caller.id)
            .collect();
        for (f, desc) in query.order_by.iter().rev() {
            items.sort_by(|(_, a), (_, b)| {
                let ord = a
                    .get(f)
                    .map(Value::to_string)
                    .cmp(&b.get(f).map(Value::to_string));
                if *desc { ord.reverse() } else { ord }
            });
        }
        let list: Vec<StatusRecord> = items
            .into_iter()
            .map(|(r, _)| r)
            .skip(query.offset)
            .take(query.limit.unwrap_or(usize::MAX))
            .collect();
        (StatusCode::OK, Some(Self::render(&list, json_api, false)))
    }

    /// `handlePost`: `{"userSessionMaterialStatuses":[..]}` or `{"userSessionMaterialStatus":{..}}`
    /// (JSON:API: `{"data":{..}}` or `{"data":[..]}`), 201 with the created records.
    fn post(&self, db: &Db, caller: &User, req: &Request<'_>) -> Reply {
        let Ok(body) = serde_json::from_slice::<Value>(req.body) else {
            return error(StatusCode::BAD_REQUEST);
        };
        let (items, reader): (Vec<Value>, FieldReader) = if req.json_api {
            match body.get("data") {
                Some(Value::Array(a)) => (a.clone(), json_api_fields),
                Some(o @ Value::Object(_)) => (vec![o.clone()], json_api_fields),
                _ => return error(StatusCode::BAD_REQUEST),
            }
        } else {
            match (
                body.get("userSessionMaterialStatuses"),
                body.get("userSessionMaterialStatus"),
            ) {
                (Some(Value::Array(a)), _) => (a.clone(), plain_fields),
                (_, Some(o @ Value::Object(_))) => (vec![o.clone()], plain_fields),
                _ => return error(StatusCode::BAD_REQUEST),
            }
        };
        let mut valid = Vec::new();
        for item in &items {
            match reader(item).and_then(|f| validate(db, caller, f)) {
                Ok(v) => valid.push(v),
                Err(reply) => return reply,
            }
        }
        let mut records = self.records.lock().unwrap();
        let mut created = Vec::new();
        for (user, material, status) in valid {
            let id = records.iter().map(|r| r.id).max().unwrap_or(0) + 1;
            let r = StatusRecord {
                id,
                user,
                material,
                status,
                updated_at: req.now,
            };
            records.push(r.clone());
            created.push(r);
        }
        let one = req.json_api && matches!(body.get("data"), Some(Value::Object(_)));
        (
            StatusCode::CREATED,
            Some(Self::render(&created, req.json_api, one)),
        )
    }

    /// `handlePut`: `{"userSessionMaterialStatus":{..}}`; 200 when it updated, 201 when it
    /// created (an unknown id).
    fn put(&self, db: &Db, caller: &User, id: u64, req: &Request<'_>) -> Reply {
        let Ok(body) = serde_json::from_slice::<Value>(req.body) else {
            return error(StatusCode::BAD_REQUEST);
        };
        let Some(item) = body.get("userSessionMaterialStatus") else {
            return error(StatusCode::BAD_REQUEST);
        };
        let fields = match plain_fields(item) {
            Ok(f) => f,
            Err(reply) => return reply,
        };
        self.write(db, caller, id, fields, req.now, false)
    }

    /// `handlePatch` (JSON:API only): attributes and relationships not sent keep their values.
    fn patch(&self, db: &Db, caller: &User, id: u64, req: &Request<'_>) -> Reply {
        let Ok(body) = serde_json::from_slice::<Value>(req.body) else {
            return error(StatusCode::BAD_REQUEST);
        };
        let Some(data) = body.get("data") else {
            return error(StatusCode::BAD_REQUEST);
        };
        let mut fields = match json_api_fields(data) {
            Ok(f) => f,
            Err(reply) => return reply,
        };
        {
            let records = self.records.lock().unwrap();
            let Some(old) = records.iter().find(|r| r.id == id) else {
                return error(StatusCode::NOT_FOUND);
            };
            fields.user = fields.user.or(Some(old.user));
            fields.material = fields.material.or(Some(old.material));
            fields.status = fields.status.or(Some(old.status));
        }
        self.write(db, caller, id, fields, req.now, true)
    }

    fn write(
        &self,
        db: &Db,
        caller: &User,
        id: u64,
        fields: Fields,
        now: DateTime<Utc>,
        json_api: bool,
    ) -> Reply {
        let mut records = self.records.lock().unwrap();
        // The voter sees the stored record first: another user's record is not one's to edit.
        if records.iter().any(|r| r.id == id && r.user != caller.id) {
            return error(StatusCode::FORBIDDEN);
        }
        let (user, material, status) = match validate(db, caller, fields) {
            Ok(v) => v,
            Err(reply) => return reply,
        };
        let (code, record) = match records.iter_mut().find(|r| r.id == id) {
            Some(r) => {
                r.user = user;
                r.material = material;
                r.status = status;
                r.updated_at = now;
                (StatusCode::OK, r.clone())
            }
            None => {
                let r = StatusRecord {
                    id: records.iter().map(|r| r.id).max().unwrap_or(0) + 1,
                    user,
                    material,
                    status,
                    updated_at: now,
                };
                records.push(r.clone());
                (StatusCode::CREATED, r)
            }
        };
        (code, Some(Self::render(&[record], json_api, true)))
    }

    fn delete(&self, caller: &User, id: u64) -> Reply {
        let mut records = self.records.lock().unwrap();
        let Some(pos) = records.iter().position(|r| r.id == id) else {
            return error(StatusCode::NOT_FOUND);
        };
        if records[pos].user != caller.id {
            return error(StatusCode::FORBIDDEN);
        }
        records.remove(pos);
        (StatusCode::NO_CONTENT, None)
    }
}

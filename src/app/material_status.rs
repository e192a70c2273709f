//! The user's learning-material statuses, one book for the whole app: My Materials, the glance
//! and the event detail all read it, and every change goes through it, so a box ticked in one
//! place is ticked in the others, and a material never has two writes in flight.
//!
//! The web client reads them once per page through the user record
//! (ilios/frontend `packages/ilios-common/addon/components/user-material-status.gjs`:
//! `currentUser.getModel()`, then `user.sessionMaterialStatuses`) and shows no box until they
//! are loaded. This client asks `usersessionmaterialstatuses?filters[user]={id}` (the same
//! records, in one request) when the server has `materialStatusEnabled` on, and again with `r`.

use std::collections::{HashMap, HashSet};

use crate::api::materials::MaterialStatusRecord;
use crate::api::models::Id;
use crate::domain::materials::{MaterialStatus, Statuses};

use super::panes::materials::StatusWrite;

#[derive(Debug, Default)]
pub struct MaterialStatusBook {
    /// The user's records once the server answered; `None` before, when the feature is off, or
    /// when they could not be read (then no box is drawn anywhere, as in the web client).
    statuses: Option<Statuses>,
    /// The request whose answer counts (an older one's answer is dropped).
    pub seq: u64,
    /// Whether the statuses have been asked for in this session.
    pub requested: bool,
    /// Session materials whose write is still out: another change waits for its answer (a
    /// second write could create a second record, and answers could arrive out of order).
    saving: HashSet<Id>,
    /// When each material's last write settled, on the app's request counter (`App::seq`): an
    /// answer to a request sent before that is older than what the book knows of it.
    settled: HashMap<Id, u64>,
}

impl MaterialStatusBook {
    /// The statuses to draw, or `None` for no boxes at all.
    pub fn shown(&self) -> Option<&Statuses> {
        self.statuses.as_ref()
    }

    /// A session material's status, or `None` when no box is drawn.
    pub fn of(&self, material: Id) -> Option<MaterialStatus> {
        self.statuses.as_ref().map(|s| s.get(material))
    }

    /// The server's records (`None`: the feature is off or they did not load), in answer to the
    /// request `asked` (numbered by `App::seq`). A material whose write is still out, or settled
    /// after that request was sent, keeps what the book has: the answer is older than it.
    pub fn load(&mut self, records: Option<&[MaterialStatusRecord]>, asked: u64) {
        let Some(records) = records else {
            self.statuses = None;
            return;
        };
        let mut fresh = Statuses::new(records.iter().map(|r| (r.id, r.material, r.status)));
        if let Some(old) = &self.statuses {
            let settled_since = self
                .settled
                .iter()
                .filter(|&(_, &at)| at > asked)
                .map(|(&material, _)| material);
            for material in self.saving.iter().copied().chain(settled_since) {
                fresh.set(old.record_of(material), material, old.get(material));
            }
        }
        self.statuses = Some(fresh);
    }

    /// Whether a write for `material` is still out.
    pub fn is_saving(&self, material: Id) -> bool {
        self.saving.contains(&material)
    }

    /// A click on the box: the status moves on at once (the web client shows the new state
    /// while it saves) and the write to send is returned. `None` when no box is shown or a
    /// write for this material is still out.
    pub fn cycle(&mut self, material: Id) -> Option<StatusWrite> {
        let statuses = self.statuses.as_mut()?;
        if !self.saving.insert(material) {
            return None;
        }
        let previous = statuses.get(material);
        let write = StatusWrite {
            existing: statuses.record_of(material),
            material,
            status: previous.next(),
            previous,
        };
        statuses.set(write.existing, material, write.status);
        Some(write)
    }

    /// The server stored it (`at`: a fresh `App::seq`): remember the record, so the next change
    /// updates it.
    pub fn saved(&mut self, record: &MaterialStatusRecord, at: u64) {
        self.saving.remove(&record.material);
        self.settled.insert(record.material, at);
        if let Some(statuses) = &mut self.statuses {
            let status = MaterialStatus::from_wire(record.status);
            statuses.set(Some(record.id), record.material, status);
        }
    }

    /// The server refused (`at`: a fresh `App::seq`): the box goes back to what it was.
    pub fn failed(&mut self, write: StatusWrite, at: u64) {
        self.saving.remove(&write.material);
        self.settled.insert(write.material, at);
        if let Some(statuses) = &mut self.statuses {
            statuses.set(write.existing, write.material, write.previous);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: Id, material: Id, status: i64) -> MaterialStatusRecord {
        MaterialStatusRecord {
            id,
            user: 2,
            material,
            status,
        }
    }

    #[test]
    fn no_box_until_loaded_and_none_when_the_feature_is_off() {
        let mut book = MaterialStatusBook::default();
        assert_eq!(book.of(10), None);
        assert_eq!(book.cycle(10), None);
        book.load(Some(&[record(5, 10, 2)]), 1);
        assert_eq!(book.of(10), Some(MaterialStatus::Complete));
        assert_eq!(book.of(11), Some(MaterialStatus::NotStarted));
        book.load(None, 2);
        assert_eq!(book.of(10), None);
    }

    #[test]
    fn one_write_in_flight_per_material_and_a_refusal_puts_it_back() {
        let mut book = MaterialStatusBook::default();
        book.load(Some(&[record(5, 10, 2)]), 1);
        let write = book.cycle(10).unwrap();
        assert_eq!(
            write,
            StatusWrite {
                existing: Some(5),
                material: 10,
                status: MaterialStatus::NotStarted,
                previous: MaterialStatus::Complete,
            }
        );
        assert_eq!(book.of(10), Some(MaterialStatus::NotStarted));
        assert_eq!(book.cycle(10), None, "the first write is still out");
        // A reload meanwhile keeps what is shown for the material being saved.
        book.load(Some(&[record(5, 10, 2)]), 1);
        assert_eq!(book.of(10), Some(MaterialStatus::NotStarted));
        book.failed(write, 3);
        assert_eq!(book.of(10), Some(MaterialStatus::Complete));
        // Another material: a new record, remembered once stored.
        let write = book.cycle(20).unwrap();
        assert_eq!(
            (write.existing, write.status),
            (None, MaterialStatus::InProgress)
        );
        book.saved(&record(7, 20, 1), 4);
        assert!(!book.is_saving(20));
        assert_eq!(book.cycle(20).unwrap().existing, Some(7));
    }

    #[test]
    fn an_answer_asked_before_a_write_settled_does_not_undo_it() {
        let mut book = MaterialStatusBook::default();
        book.load(Some(&[record(5, 10, 2)]), 1);
        // Statuses asked (request 2), then a write of material 10 sent and stored (settled at 3).
        book.cycle(10).unwrap();
        book.saved(&record(5, 10, 0), 3);
        // Request 2's answer, read before the write: material 10 keeps the saved status.
        book.load(Some(&[record(5, 10, 2), record(6, 11, 1)]), 2);
        assert_eq!(book.of(10), Some(MaterialStatus::NotStarted));
        assert_eq!(book.of(11), Some(MaterialStatus::InProgress));
        // A later request's answer is taken whole.
        book.load(Some(&[record(5, 10, 1)]), 4);
        assert_eq!(book.of(10), Some(MaterialStatus::InProgress));
    }
}

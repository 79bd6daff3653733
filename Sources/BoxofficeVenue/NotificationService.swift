package import BoxofficeCore
package import BoxofficeStore
package import Foundation

/// Messages to users: sent by staff, or written by the other services when a ticket is bought or
/// cancelled and when an event changes, in the same transaction as the change itself.
package struct NotificationService: Sendable {
    package let store: any VersionedStore
    package let now: @Sendable () -> Date

    package init(store: any VersionedStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    package func send(to userId: String, message: String, eventId: String?, by sender: Identity) async throws -> Identified<UserNotification> {
        let userId = try Validate.id(userId, field: "userId")
        let message = try Validate.text(message, field: "message", maxLength: 2_000)
        let eventId = try eventId.map { try Validate.id($0, field: "eventId") }
        let notification = UserNotification(userId: userId, message: message, eventId: eventId, kind: .message, createdAt: now())
        let id = Identifier.random(prefix: "n")
        try await store.transact { transaction in
            guard let user = try await transaction.get(User.collection, userId), !user.deleted else {
                throw DomainError.notFound(kind: "user", id: userId)
            }
            if let eventId, try await transaction.get(Event.collection, eventId)?.deleted ?? true {
                throw DomainError.notFound(kind: "event", id: eventId)
            }
            try await transaction.put(UserNotification.collection, id, body: JSONBody(encoding: notification))
        }
        return Identified(id: id, value: notification)
    }

    /// A user's notifications, newest first, for that user or staff.
    package func list(for userId: String, by caller: Identity) async throws -> [Identified<UserNotification>] {
        let userId = try Validate.id(userId, field: "userId")
        guard caller.userId == userId || caller.isStaff else { throw DomainError.forbidden("these notifications belong to another user") }
        return try await list(for: userId)
    }

    /// A user's notifications, newest first; one that told of an event's change that lost to a
    /// concurrent change is shown corrected.
    package func list(for userId: String) async throws -> [Identified<UserNotification>] {
        let documents = try await store.documents(index: VenueIndexes.notifications, key: VenueIndexes.ofUser(userId))
        var notifications = try documents.sorted { $0.version > $1.version }.map(Identified<UserNotification>.init(decoding:))
        let changed = Set(notifications.filter { $0.value.kind == .eventChanged }.compactMap(\.value.eventId))
        guard !changed.isEmpty else { return notifications }
        let lost = try await lostEdits(of: changed)
        for position in notifications.indices {
            let notification = notifications[position].value
            // The edit and its notifications are written in one transaction, at one time: the
            // event's `updatedAt` is the notifications' `createdAt`.
            guard notification.kind == .eventChanged, let eventId = notification.eventId, lost[eventId]?.contains(notification.createdAt) == true,
                let event = try await store.get(Event.collection, eventId), !event.deleted, let current = try? event.body.decode(Event.self),
                // Dates are kept to the second: a notification of the standing version stays as it is.
                current.updatedAt != notification.createdAt
            else { continue }
            // Invariant: a change the merge overruled is not left standing beside the one that won.
            var correction = notification
            correction.message =
                "\(current.name) is at \(current.location), \(current.date.formatted(.iso8601)). "
                + "This corrects an earlier message, which told of a change that did not stand: \(notification.message)"
            correction.corrected = true
            notifications[position] = Identified(id: notifications[position].id, value: correction)
        }
        return notifications
    }

    /// The `updatedAt` of every version of `events` that lost a merge, by event id, from the
    /// conflict records (which sync, so every node finds the same).
    private func lostEdits(of events: Set<String>) async throws -> [String: Set<Date>] {
        var lost: [String: Set<Date>] = [:]
        for document in try await store.documents(in: ConflictRecord.collection) where !document.deleted {
            guard let record = try? document.body.decode(ConflictRecord.self), record.collection == Event.collection,
                events.contains(record.documentId), let updatedAt = record.loserFields["updatedAt"].flatMap(RFC3339.date(from:))
            else { continue }
            lost[record.documentId, default: []].insert(updatedAt)
        }
        return lost
    }

    package func unreadCount(for userId: String) async throws -> Int {
        try await list(for: userId).count { !$0.value.read }
    }

    /// Marks one notification read; only its user or staff may.
    package func markRead(_ id: String, by caller: Identity) async throws -> Identified<UserNotification> {
        let id = try Validate.id(id, field: "id")
        return try await store.transact { transaction in
            guard let document = try await transaction.get(UserNotification.collection, id), !document.deleted else {
                throw DomainError.notFound(kind: "notification", id: id)
            }
            var notification = try document.body.decode(UserNotification.self)
            guard notification.userId == caller.userId || caller.isStaff else {
                throw DomainError.forbidden("this notification belongs to another user")
            }
            if !notification.read {
                notification.read = true
                try await transaction.put(UserNotification.collection, id, body: JSONBody(encoding: notification))
            }
            return Identified(id: id, value: notification)
        }
    }
}

extension StoreTransaction {
    /// Writes an automatic notification inside the transaction that caused it.
    nonisolated(nonsending) func notify(_ userId: String, _ message: String, kind: NotificationKind, eventId: String?, at date: Date) async throws {
        let notification = UserNotification(userId: userId, message: message, eventId: eventId, kind: kind, createdAt: date)
        try await put(UserNotification.collection, Identifier.random(prefix: "n"), body: JSONBody(encoding: notification))
    }
}

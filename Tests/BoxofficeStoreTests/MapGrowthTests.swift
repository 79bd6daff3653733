import Testing

@testable import BoxofficeStore

/// The store's maps grow four times over when full (a sync files documents by the thousand).
@Suite struct MapGrowthTests {
    @Test func aFullMapGrowsFourTimesOverAndOnlyWhenFull() {
        var map: [Int: Int] = [:]
        map.makeRoomForOneMore()
        let room = map.capacity
        #expect(room >= 16)
        for key in 0..<room { map[key] = key }
        #expect(map.capacity == room, "filled to its room without growing")
        map.makeRoomForOneMore()
        #expect(map.capacity >= room * 4)
        let grown = map.capacity
        map[room] = room
        map.makeRoomForOneMore()
        #expect(map.capacity == grown, "a map with room left does not grow")
        #expect(map.count == room + 1 && (0...room).allSatisfy { map[$0] == $0 })
    }
}

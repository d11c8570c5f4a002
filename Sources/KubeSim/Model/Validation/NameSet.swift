/// The set of names a validator tracks for duplicates (containers, ports, volumes, mount
/// points): few members, so a linear scan, switching to hashing past 16. Membership is
/// `String` equality either way, exactly as with `Set<String>`.
struct NameSet {
    private var small: [String] = []
    private var large: Set<String>?

    init() {}

    init<S: Sequence>(_ names: S) where S.Element == String {
        for name in names { insert(name) }
    }

    func contains(_ name: String) -> Bool {
        if let large { return large.contains(name) }
        return small.contains(name)
    }

    @discardableResult
    mutating func insert(_ name: String) -> (inserted: Bool, memberAfterInsert: String) {
        if var set = large {
            large = nil  // keep `set` uniquely referenced
            let result = set.insert(name)
            large = set
            return result
        }
        if let existing = small.first(where: { $0 == name }) { return (false, existing) }
        small.append(name)
        if small.count > 16 {
            large = Set(small)
            small = []
        }
        return (true, name)
    }
}

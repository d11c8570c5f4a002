/// kubectl's `genericDescriber` (`describe.go`), for the kinds `describerMap` has no describer
/// for: here Event, Lease and ControllerRevision. It prints the object as the dynamic client
/// decodes it, every field by sorted key under a label `smartLabelFor` makes of its name.
extension Cluster {
    /// `genericDescriber.Describe`: name, namespace, labels and annotations, the rest of the
    /// content less those (and, from 1.36, managedFields, which kubesim does not keep), then
    /// the events `Search` finds for the object's kind and uid.
    func describeGeneric(_ object: JSON, showEvents: Bool) -> String {
        var w = DescribeWriter(version: config.version)
        w.write(0, "Name:\t\(object.name)\n")
        w.write(0, "Namespace:\t\(object.namespace)\n")
        Describe.labels(&w, "Labels", object.labels)
        Describe.annotations(&w, "Annotations", object.annotations)
        var skip = [".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]
        if config.version == .v1_36 { skip.append(".metadata.managedFields") }
        Describe.unstructuredContent(&w, 0, object.object ?? JSONObject(), skipPrefix: "", skip: skip)
        if showEvents {
            Describe.events(&w, events(about: object.name, namespace: object.namespace, kind: object["kind"].string,
                                       uid: object.uid), now: now)
        }
        return w.finish()
    }
}

extension Describe {
    /// `printUnstructuredContent`: each field in key order, skipped when its path (from
    /// `skipPrefix`) is listed. A map prints its fields a level deeper; a list, each map
    /// member's fields a level deeper with nothing between members, and anything else as
    /// `%v`; a scalar `Label:\t%v`.
    static func unstructuredContent(_ w: inout DescribeWriter, _ level: Int, _ content: JSONObject,
                                    skipPrefix: String, skip: [String])
    {
        for field in content.keys.sorted(by: JSON.utf8Less) {
            let path = skipPrefix + "." + field
            if skip.contains(path) { continue }
            let value = content[field] ?? .null
            let label = smartLabel(field, w.version)
            switch value {
            case .object(let map):
                w.write(level, "\(label):\n")
                unstructuredContent(&w, level + 1, map, skipPrefix: path, skip: skip)
            case .array(let list):
                w.write(level, "\(label):\n")
                for child in list {
                    if case .object(let map) = child {
                        unstructuredContent(&w, level + 1, map, skipPrefix: path, skip: skip)
                    } else {
                        w.write(level + 1, "\(GoFormat.plain(decoded(child)))\n")
                    }
                }
            default:
                w.write(level, "\(label):\t\(GoFormat.plain(decoded(value)))\n")
            }
        }
    }

    /// A value as the dynamic client holds it after apimachinery's `json.Unmarshal`: a number
    /// that parses as an int64 in the API's JSON (`JSON.formatDouble` writes whole doubles
    /// below 9e15 as integers) is an int64, any other a float64 that `%v` prints as `%g`.
    static func decoded(_ value: JSON) -> JSON {
        switch value {
        case .double(let d):
            guard let i = Int(JSON.formatDouble(d)) else { return value }
            return .int(i)
        case .array(let list): return .array(list.map(decoded))
        case .object(let map):
            var out = JSONObject(minimumCapacity: map.count)
            for (key, member) in map { out[key] = decoded(member) }
            return .object(out)
        default: return value
        }
    }

    /// `smartLabelFor`: a field name of letters and `-` as words (`leaseDurationSeconds` →
    /// `Lease Duration Seconds`), known acronyms upper-cased (`apiVersion` → `API Version`);
    /// any other name as it is (`k8s-app`, `$patch`). 1.18 title-cases every word and knows
    /// OSB; 1.36 title-cases only lower-case words and keeps an acronym's plural whole
    /// (`podCIDRs` → `Pod CIDRs`, where 1.18 wrote `Pod CID Rs`).
    static func smartLabel(_ field: String, _ version: KubernetesVersion) -> String {
        if field.unicodeScalars.contains(where: { !isGoLetter($0) && $0 != "-" }) { return field }
        var parts = camelCaseSplit(field)
        if version == .v1_36 { parts = mergedAcronymPlurals(parts) }
        let acronyms = version == .v1_18 ? ["API", "URL", "UID", "OSB", "GUID"] : ["API", "URL", "UID", "GUID"]
        var words: [String] = []
        for part in parts where part != "_" {
            let upper = part.uppercased()
            if acronyms.contains(upper) {
                words.append(upper)
            } else if version == .v1_18 {
                words.append(goTitle(part))
            } else if part.lowercased() == part {
                words.append(englishTitle(part))
            } else {
                words.append(part)
            }
        }
        return words.joined(separator: " ")
    }

    /// `camelcase.Split` (github.com/fatih/camelcase v1.0.0): runs of lower-case letters,
    /// upper-case letters, digits and anything else; then an upper-case run followed by a
    /// lower-case one gives it its last letter (`PDFLoader` → `PDF`, `Loader`).
    static func camelCaseSplit(_ text: String) -> [String] {
        func characterClass(_ s: Unicode.Scalar) -> Int {
            switch s.properties.generalCategory {
            case .lowercaseLetter: return 1
            case .uppercaseLetter: return 2
            case .decimalNumber: return 3
            default: return 4
            }
        }
        var runs: [[Unicode.Scalar]] = []
        var last = 0
        for s in text.unicodeScalars {
            let c = characterClass(s)
            if c == last, !runs.isEmpty { runs[runs.count - 1].append(s) } else { runs.append([s]) }
            last = c
        }
        var i = 0
        while i + 1 < runs.count {
            if let first = runs[i].first, characterClass(first) == 2,
               let next = runs[i + 1].first, characterClass(next) == 1, let moved = runs[i].popLast()
            {
                runs[i + 1].insert(moved, at: 0)
            }
            i += 1
        }
        return runs.filter { !$0.isEmpty }.map { run in
            var s = ""
            s.unicodeScalars.append(contentsOf: run)
            return s
        }
    }

    /// 1.36's merge: a part of two or more bytes whose letters are all upper-case joins the
    /// next when that starts upper-case, tested on its first byte as Go's `rune(nextPart[0])`.
    private static func mergedAcronymPlurals(_ parts: [String]) -> [String] {
        var merged: [String] = []
        var i = 0
        while i < parts.count {
            let part = parts[i]
            if i + 1 < parts.count {
                let next = parts[i + 1]
                let allUpper = part.unicodeScalars.allSatisfy {
                    !isGoLetter($0) || $0.properties.generalCategory == .uppercaseLetter
                }
                if part.utf8.count >= 2, allUpper, let byte = next.utf8.first,
                   Unicode.Scalar(byte).properties.generalCategory == .uppercaseLetter
                {
                    merged.append(part + next)
                    i += 2
                    continue
                }
            }
            merged.append(part)
            i += 1
        }
        return merged
    }

    /// `unicode.IsLetter`: categories Lu, Ll, Lt, Lm, Lo.
    private static func isGoLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `strings.Title` (1.18): each rune after a separator in its simple title case, the rest
    /// as they are. Swift gives the full mapping; where that is several runes, Go's simple one
    /// leaves the rune alone.
    private static func goTitle(_ text: String) -> String {
        var out = ""
        var previous: Unicode.Scalar = " "
        for s in text.unicodeScalars {
            if isTitleSeparator(previous) {
                let title = s.properties.titlecaseMapping.unicodeScalars
                out.unicodeScalars.append(title.count == 1 ? title.first ?? s : s)
            } else {
                out.unicodeScalars.append(s)
            }
            previous = s
        }
        return out
    }

    /// `strings.Title`'s `isSeparator`: ASCII other than letters, digits and `_`; beyond
    /// ASCII, spaces only.
    private static func isTitleSeparator(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            let word = (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
            return !word
        }
        if isGoLetter(s) || s.properties.generalCategory == .decimalNumber { return false }
        return s.properties.isWhitespace
    }

    /// `cases.Title(language.English)` of a word with no upper-case letter (1.36): its first
    /// letter in full title case (`ß` → `Ss`); an uncased word stays as it is.
    private static func englishTitle(_ word: String) -> String {
        guard let first = word.unicodeScalars.first, first.properties.generalCategory == .lowercaseLetter else {
            return word
        }
        return first.properties.titlecaseMapping + String(word.unicodeScalars.dropFirst())
    }
}

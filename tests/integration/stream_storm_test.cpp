// The reconnect storm (issue 3): "reconnecting clients never miss and never duplicate a message".
// While sender threads post messages over HTTP as fast as they can, every user's client keeps a
// stream open and drops it at random points (with a close handshake, or abruptly with a FIN or
// an RST; before its resume, in the middle of it, or while events flow live), reconnects and
// resumes from its cursors, paging over HTTP when told resume.truncated. Now and then a client
// comes back as a fresh device with no cursors at all. When the senders are done, each client
// finishes one last resume. Then every client's messages must be exactly the store's history.
//
// What the server promises, and what is checked:
// - Complete: per conversation, a client's stream events plus the pages it was told to fetch
//   hold every seq from 1 to the store's last, and nothing else.
// - Faithful: every copy of a seq is the same JSON as history's, and history holds exactly the
//   messages the senders were acknowledged (id, seq, text, sender, client_id).
// - Resume exact: after {"type":"resume"} with cursor c, and before resume.done, a conversation's
//   seqs c+1 … min(c+200, A) arrive, A being the highest seq acknowledged to a sender before the
//   resume was sent; resume.truncated (from_seq c+201) comes exactly when more than 200 were
//   missed.
// - No duplicates beyond the one overlap the protocol allows: within one connection a seq arrives
//   at most twice, and only when one copy can be the resume's (it came before resume.done and is
//   past the cursor sent) and the other the live event. Across connections clients dedupe by
//   (conversation_id, seq), so repeats there are expected.
//
// The random choices come from one seed, printed with every failure; PARLEY_STORM_SEED=<n>
// replays the same choices (thread timing still differs from run to run). Nothing about timing
// is asserted: timeouts only keep a broken server from hanging the test.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kSenders = 3;
constexpr int kSendsPerSender = 200;  // 600 messages in all
constexpr int kResumeLimit = 200;     // per conversation in one resume (docs/openapi.yaml)
// Long enough for any frame the server owes us on a loaded machine; only a hang reaches it.
constexpr std::chrono::seconds kFrameTimeout{20};
// A live connection this quiet is dropped like any other (a phone whose network went away).
constexpr std::chrono::milliseconds kQuiet{300};
// The whole storm; past it the clients give up and the test fails instead of hanging.
constexpr std::chrono::seconds kDeadline{120};
constexpr std::size_t kMaxProblemsShown = 30;

// The sixth user, besides the harness's five phones.
constexpr const char* kFrankPhone = "+6593456789";

using SeqMap = std::map<std::string, std::int64_t>;  // conversation id → seq

// A message a sender was acknowledged (201) for.
struct Sent {
    std::string conversation_id;
    std::int64_t seq = 0;
    std::string id;
    std::string text;
    std::string sender_id;
    std::string client_id;
};

// What the sender and client threads share.
struct Shared {
    int port = 0;
    Clock::time_point deadline;
    std::atomic<bool> senders_done{false};

    // The highest seq acknowledged to a sender, per conversation: a resume sent after reading
    // it must bring everything up to it.
    void note_acked(const std::string& conversation, std::int64_t seq) {
        std::lock_guard lock(mutex);
        auto& a = acked[conversation];
        a = std::max(a, seq);
    }
    SeqMap acked_now() {
        std::lock_guard lock(mutex);
        return acked;
    }

    std::mutex mutex;
    SeqMap acked;  // GUARDED_BY(mutex)
};

struct Stats {
    int connections = 0;
    int clean_closes = 0;
    int fin_drops = 0;
    int rst_drops = 0;
    int drops_before_resume = 0;
    int drops_mid_resume = 0;
    int drops_live = 0;
    int quiet_drops = 0;         // nothing came for kQuiet while live
    int server_closes_1013 = 0;  // too slow for the server's queue
    int fresh_devices = 0;
    int resumes_done = 0;
    int truncations = 0;
    int pages = 0;
    int overlaps = 0;  // a seq twice in one connection, as the protocol allows
    int frames = 0;

    Stats& operator+=(const Stats& o) {
        connections += o.connections;
        clean_closes += o.clean_closes;
        fin_drops += o.fin_drops;
        rst_drops += o.rst_drops;
        drops_before_resume += o.drops_before_resume;
        drops_mid_resume += o.drops_mid_resume;
        drops_live += o.drops_live;
        quiet_drops += o.quiet_drops;
        server_closes_1013 += o.server_closes_1013;
        fresh_devices += o.fresh_devices;
        resumes_done += o.resumes_done;
        truncations += o.truncations;
        pages += o.pages;
        overlaps += o.overlaps;
        frames += o.frames;
        return *this;
    }
};

std::ostream& operator<<(std::ostream& out, const Stats& s) {
    return out << s.connections << " connections, " << s.frames
               << " frames; drops: " << s.drops_before_resume << " before resume, "
               << s.drops_mid_resume << " mid-resume, " << s.drops_live << " live, "
               << s.quiet_drops << " quiet; by close handshake " << s.clean_closes << ", FIN "
               << s.fin_drops << ", RST " << s.rst_drops << "; " << s.server_closes_1013
               << " closed 1013; " << s.fresh_devices << " fresh devices; " << s.resumes_done
               << " resumes done, " << s.truncations << " truncated, " << s.pages
               << " pages over HTTP; " << s.overlaps << " live/resume overlaps";
}

enum class DropAt { never, before_resume, mid_resume, live };
enum class DropHow { close, fin, rst };

// How one connection goes.
struct Plan {
    DropAt at = DropAt::never;
    DropHow how = DropHow::close;
    int listen_first = 0;  // live frames read before the resume is sent
    int after_frames = 0;  // frames read (after the resume is sent) before the drop
};

// One connection's deliveries, to check the duplicate rule when it ends.
struct ConnectionLog {
    struct Count {
        int total = 0;
        int before_done = 0;  // after the resume was sent and before resume.done
    };
    bool resume_sent = false;
    bool in_resume = false;
    SeqMap cursors_sent;
    std::map<std::pair<std::string, std::int64_t>, Count> counts;
};

// One user's device: keeps a stream, drops it, resumes; what it holds at the end is checked
// against the store. Runs on its own thread; read its members after join().
class StormClient {
public:
    StormClient(int index, Shared& shared, std::unique_ptr<HttpClient> http, Session session,
                std::vector<std::string> conversations, std::uint32_t seed)
        : index_(index),
          shared_(shared),
          http_(std::move(http)),
          session_(std::move(session)),
          conversations_(std::move(conversations)),
          rng_(seed) {}

    // A device that was in sync before the storm: it starts with the history as it was.
    void sync_over_http() {
        for (const auto& conversation : conversations_) {
            for (const json& m : all_messages(*http_, conversation, session_.token)) {
                record(conversation, m);
            }
        }
    }

    // The client thread. `new_device_at_end`: before its final resume it comes back as a new
    // device and drops that connection three frames into the resume, so that a drop in the
    // middle of a long resume and a truncated resume happen whatever the timing.
    void run(bool new_device_at_end) {
        try {
            storm();
            if (new_device_at_end && !past_deadline()) {
                wipe();
                connect(/*final=*/false, Plan{DropAt::mid_resume, DropHow::rst, 0, 3});
            }
            for (int attempt = 0; !past_deadline(); ++attempt) {
                if (connect(/*final=*/true, Plan{})) return;
                if (attempt == 20) {
                    problem("no complete final resume in 20 attempts");
                    return;
                }
            }
        } catch (const std::exception& e) {
            problem(std::string("exception: ") + e.what());
        }
    }

    int index() const { return index_; }
    const std::vector<std::string>& conversations() const { return conversations_; }
    // conversation → seq → the message JSON, since the device last started fresh.
    const std::map<std::string, std::map<std::int64_t, json>>& messages() const {
        return messages_;
    }
    const std::vector<std::string>& problems() const { return problems_; }
    const Stats& stats() const { return stats_; }

private:
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool past_deadline() const { return Clock::now() >= shared_.deadline; }

    void problem(const std::string& what) {
        problems_.push_back("client " + std::to_string(index_) + " (" + session_.phone +
                            ", connection " + std::to_string(stats_.connections) + "): " + what);
    }

    void storm() {
        while (!shared_.senders_done.load() && !past_deadline()) {
            if (chance(0.05)) wipe();
            connect(/*final=*/false, random_plan());
        }
        if (past_deadline()) problem("the senders did not finish before the deadline");
    }

    Plan random_plan() {
        Plan plan;
        plan.listen_first = chance(0.2) ? uniform(1, 4) : 0;
        const int where = uniform(0, 99);
        plan.at = where < 15   ? DropAt::before_resume
                  : where < 55 ? DropAt::mid_resume
                               : DropAt::live;
        plan.how = static_cast<DropHow>(uniform(0, 2));
        plan.after_frames = plan.at == DropAt::mid_resume ? uniform(0, 12) : uniform(1, 40);
        return plan;
    }

    // A fresh device: no messages, no cursors.
    void wipe() {
        messages_.clear();
        cursors_.clear();
        ++stats_.fresh_devices;
    }

    // One connection. True when it was a final one that got its resume.done (and pages).
    bool connect(bool final, Plan plan) {
        ++stats_.connections;
        ConnectionLog log;
        const bool done = converse(final, plan, log);
        check_duplicates(log);
        return done;
    }

    bool converse(bool final, Plan plan, ConnectionLog& log) {
        WsClient ws(shared_.port, "/api/v1/stream", {bearer(session_)}, kFrameTimeout);
        if (ws.refused) {
            problem("upgrade refused: " + ws.refused->raw);
            return false;
        }
        // The first frame must be hello. If an event comes first it is still taken (as a real
        // client would), but the server broke its word.
        for (int frames = 0;; ++frames) {
            json frame = ws.read();
            if (frame.is_null()) {
                if (!server_closed(ws, "waiting for hello")) {
                    problem("no hello: " + ws.error().message());
                }
                return false;
            }
            if (frame.is_object() && frame.value("type", "") == "hello") break;
            if (frames == 0) problem("the first frame is not hello but " + frame.dump());
            handle(frame, log);
        }

        for (int i = 0; i < plan.listen_first; ++i) {
            json frame = ws.read_for(kQuiet);
            if (frame.is_null()) return lost(ws);
            handle(frame, log);
        }
        if (plan.at == DropAt::before_resume) {
            end(ws, plan.how);
            ++stats_.drops_before_resume;
            return false;
        }

        // The resume. A cursor is the highest seq up to which nothing is missing; a fresh device
        // sends none.
        json cursors = json::object();
        for (const auto& [conversation, seq] : cursors_) {
            if (seq > 0) cursors[conversation] = seq;
        }
        log.cursors_sent = cursors.get<SeqMap>();
        const SeqMap acked = shared_.acked_now();  // before the resume: it must cover these
        if (!ws.try_send(json{{"type", "resume"}, {"cursors", cursors}})) return lost(ws);
        log.resume_sent = true;
        log.in_resume = true;
        std::vector<json> truncated;
        for (int frames = 0;; ++frames) {
            if (plan.at == DropAt::mid_resume && frames == plan.after_frames) {
                end(ws, plan.how);
                ++stats_.drops_mid_resume;
                return false;
            }
            json frame = ws.read();
            if (frame.is_null()) {
                if (!server_closed(ws, "waiting for resume.done")) {
                    problem("no resume.done: " + ws.error().message());
                }
                return false;
            }
            const std::string type = frame.is_object() ? frame.value("type", "") : "";
            if (type == "resume.done") break;
            if (type == "resume.truncated") {
                truncated.push_back(frame);
            } else if (type == "error") {
                problem("error frame during the resume: " + frame.dump());
            }
            handle(frame, log);
        }
        log.in_resume = false;
        ++stats_.resumes_done;
        check_resume(log, acked, truncated);
        for (const json& t : truncated) page(t);

        if (final) {
            ws.close();
            ++stats_.clean_closes;
            return true;
        }
        if (plan.at == DropAt::mid_resume) plan.after_frames = uniform(1, 30);  // it was short
        for (int frames = 0; frames < plan.after_frames; ++frames) {
            if (shared_.senders_done.load()) {
                ws.close();  // time for the final resume
                ++stats_.clean_closes;
                return false;
            }
            json frame = ws.read_for(kQuiet);
            if (frame.is_null()) return lost(ws);
            handle(frame, log);
        }
        end(ws, plan.how);
        ++stats_.drops_live;
        return false;
    }

    // A live read came back empty: quiet (the client gave up on the connection) or the server
    // closed it.
    bool lost(WsClient& ws) {
        if (ws.timed_out()) {
            ++stats_.quiet_drops;
        } else if (!server_closed(ws, "while live")) {
            problem("connection lost: " + ws.error().message());
        }
        return false;
    }

    // Whether the server closed the connection the way it may in a storm (1013, too slow);
    // anything else is recorded as a problem (and true returned, so it is recorded once).
    bool server_closed(WsClient& ws, const std::string& when) {
        if (ws.timed_out()) return false;
        if (ws.close_code() == 1013) {
            ++stats_.server_closes_1013;
            return true;
        }
        problem("server closed the connection " + when + " with code " +
                std::to_string(ws.close_code()) + " (" + ws.error().category().name() + " " +
                std::to_string(ws.error().value()) + ": " + ws.error().message() + ")");
        return true;
    }

    void end(WsClient& ws, DropHow how) {
        switch (how) {
            case DropHow::close:
                ws.close();
                ++stats_.clean_closes;
                break;
            case DropHow::fin:
                ws.drop(/*reset=*/false);
                ++stats_.fin_drops;
                break;
            case DropHow::rst:
                ws.drop(/*reset=*/true);
                ++stats_.rst_drops;
                break;
        }
    }

    // A frame from the stream: message.created events are recorded; others are not ours here.
    void handle(const json& frame, ConnectionLog& log) {
        ++stats_.frames;
        if (!frame.is_object() || frame.value("type", "") != "message.created") return;
        if (!frame.contains("conversation_id") || !frame["conversation_id"].is_string() ||
            !frame.contains("seq") || !frame["seq"].is_number_integer() ||
            !frame.contains("message") || !frame["message"].is_object()) {
            problem("malformed event " + frame.dump());
            return;
        }
        const std::string conversation = frame["conversation_id"];
        const std::int64_t seq = frame["seq"];
        if (frame["message"].value("seq", std::int64_t{-1}) != seq ||
            frame["message"].value("conversation_id", "") != conversation) {
            problem("event and message disagree: " + frame.dump());
        }
        auto& count = log.counts[{conversation, seq}];
        ++count.total;
        if (log.in_resume) ++count.before_done;
        record(conversation, frame["message"]);
    }

    void record(const std::string& conversation, const json& message) {
        if (std::find(conversations_.begin(), conversations_.end(), conversation) ==
            conversations_.end()) {
            problem("a message of " + conversation + ", which is not mine: " + message.dump());
            return;
        }
        const std::int64_t seq = message.value("seq", std::int64_t{0});
        auto& mine = messages_[conversation];
        // Live copies carry no per-reader "mine", resumed ones do: kept as the live one.
        auto [it, inserted] = mine.emplace(seq, as_live(message));
        if (!inserted && it->second != as_live(message)) {
            problem("two different messages at " + conversation + " seq " + std::to_string(seq) +
                    ": " + it->second.dump() + " and " + message.dump());
        }
        auto& cursor = cursors_[conversation];
        while (mine.contains(cursor + 1)) ++cursor;
    }

    // resume.truncated: the rest, up to its last_seq, over HTTP. (What came after last_seq was
    // committed after the resume read the conversation, so it comes live.)
    void page(const json& truncated) {
        const std::string conversation = truncated.value("conversation_id", "");
        const std::int64_t last = truncated.value("last_seq", std::int64_t{0});
        std::int64_t after = truncated.value("from_seq", std::int64_t{1}) - 1;
        while (after < last) {
            auto r = http_->get(
                messages_path(conversation) + "?after=" + std::to_string(after) + "&limit=200",
                session_.token);
            ++stats_.pages;
            if (r.status != 200) {
                std::ostringstream m;
                m << "paging " << conversation << " after " << after << ": " << r;
                problem(m.str());
                return;
            }
            for (const json& m : r.body["messages"]) {
                record(conversation, m);
                after = m.value("seq", after);
            }
            if (!r.body.value("has_more", false) || r.body["messages"].empty()) break;
        }
        if (after < last) {
            problem("history of " + conversation + " ends at " + std::to_string(after) +
                    " but resume.truncated said " + std::to_string(last));
        }
    }

    // What a completed resume must have brought, given the cursors sent and the seqs
    // acknowledged to senders before it was sent.
    void check_resume(const ConnectionLog& log, const SeqMap& acked,
                      const std::vector<json>& truncated) {
        std::map<std::string, json> truncation;
        for (const json& t : truncated) {
            ++stats_.truncations;
            const std::string conversation = t.value("conversation_id", "");
            if (!truncation.emplace(conversation, t).second) {
                problem("two resume.truncated for " + conversation);
            }
        }
        for (const auto& conversation : conversations_) {
            const auto c = log.cursors_sent.find(conversation);
            const std::int64_t cursor = c == log.cursors_sent.end() ? 0 : c->second;
            const auto a = acked.find(conversation);
            const std::int64_t acked_seq = a == acked.end() ? 0 : a->second;
            const auto t = truncation.find(conversation);
            std::int64_t upto = std::min<std::int64_t>(cursor + kResumeLimit, acked_seq);
            if (t != truncation.end()) {
                const json& frame = t->second;
                const std::int64_t from = frame.value("from_seq", std::int64_t{-1});
                const std::int64_t last = frame.value("last_seq", std::int64_t{-1});
                if (from != cursor + kResumeLimit + 1 || last < from || last < acked_seq) {
                    problem("resume from cursor " + std::to_string(cursor) + " (" +
                            std::to_string(acked_seq) + " acknowledged) truncated as " +
                            frame.dump());
                }
                upto = cursor + kResumeLimit;
            } else if (acked_seq > cursor + kResumeLimit) {
                problem("resume of " + conversation + " from cursor " + std::to_string(cursor) +
                        " with " + std::to_string(acked_seq) + " acknowledged was not truncated");
            }
            for (std::int64_t seq = cursor + 1; seq <= upto; ++seq) {
                const auto it = log.counts.find({conversation, seq});
                if (it == log.counts.end() || it->second.before_done == 0) {
                    problem("resume of " + conversation + " from cursor " + std::to_string(cursor) +
                            " (" + std::to_string(acked_seq) +
                            " acknowledged before it) did not bring seq " + std::to_string(seq));
                    break;
                }
            }
        }
    }

    // Within one connection a seq comes at most twice, and twice only as a live event plus its
    // resume copy.
    void check_duplicates(const ConnectionLog& log) {
        for (const auto& [key, count] : log.counts) {
            if (count.total == 1) continue;
            const auto& [conversation, seq] = key;
            const auto c = log.cursors_sent.find(conversation);
            const std::int64_t cursor = c == log.cursors_sent.end() ? 0 : c->second;
            const bool resume_copy_possible =
                log.resume_sent && seq > cursor && count.before_done >= 1;
            if (count.total == 2 && resume_copy_possible) {
                ++stats_.overlaps;
                continue;
            }
            problem(conversation + " seq " + std::to_string(seq) + " arrived " +
                    std::to_string(count.total) + " times in one connection (" +
                    std::to_string(count.before_done) + " before resume.done; resume " +
                    (log.resume_sent ? "sent with cursor " + std::to_string(cursor)
                                     : std::string("not sent")) +
                    ")");
        }
    }

    const int index_;
    Shared& shared_;
    const std::unique_ptr<HttpClient> http_;
    const Session session_;
    const std::vector<std::string> conversations_;
    std::mt19937 rng_;
    std::map<std::string, std::map<std::int64_t, json>> messages_;
    SeqMap cursors_;
    std::vector<std::string> problems_;
    Stats stats_;
};

struct Conversation {
    std::string id;
    std::vector<int> members;  // user indices
};

// Posts its share of messages as fast as the server answers, each with a client_id; now and
// then retries one, which must come back as the same message (200, duplicate).
void send_storm(int sender, Shared& shared, HttpClient& http, const std::vector<Session>& users,
                const std::vector<Conversation>& conversations, std::uint32_t seed,
                std::vector<Sent>& sent, std::vector<std::string>& problems) {
    // Of every 8 messages: 4 to the busiest group (past the 200 of one resume), 2, 1 and 1.
    constexpr int kPattern[8] = {0, 0, 1, 0, 2, 0, 1, 3};
    std::mt19937 rng(seed);
    try {
        for (int i = 0; i < kSendsPerSender; ++i) {
            const Conversation& c = conversations[kPattern[(i + sender) % 8]];
            const int author =
                c.members[std::uniform_int_distribution<std::size_t>(0, c.members.size() - 1)(rng)];
            const std::string client_id =
                "storm-" + std::to_string(sender) + "-" + std::to_string(i);
            const std::string text = "storm message " + std::to_string(i) + " from sender " +
                                     std::to_string(sender) + " #" + std::to_string(rng());
            const json body = {{"text", text}, {"client_id", client_id}};
            auto r = http.post(messages_path(c.id), body, users[author].token);
            if (r.status != 201) {
                std::ostringstream m;
                m << "sender " << sender << " message " << i << ": " << r;
                problems.push_back(m.str());
                continue;
            }
            Sent s{c.id,
                   r.body["seq"].get<std::int64_t>(),
                   r.body["id"].get<std::string>(),
                   text,
                   users[author].user_id,
                   client_id};
            shared.note_acked(c.id, s.seq);
            if (std::bernoulli_distribution(0.05)(rng)) {
                auto again = http.post(messages_path(c.id), body, users[author].token);
                if (again.status != 200 || again.body.value("duplicate", false) != true ||
                    again.body["id"] != s.id || again.body["seq"] != s.seq) {
                    std::ostringstream m;
                    m << "sender " << sender << " retry of " << client_id << " (" << s.id
                      << ", seq " << s.seq << "): " << again;
                    problems.push_back(m.str());
                }
            }
            sent.push_back(std::move(s));
        }
    } catch (const std::exception& e) {
        problems.push_back("sender " + std::to_string(sender) + ": " + e.what());
    }
}

std::uint32_t storm_seed() {
    if (const char* fixed = std::getenv("PARLEY_STORM_SEED")) {
        return static_cast<std::uint32_t>(std::strtoul(fixed, nullptr, 10));
    }
    return std::random_device{}();
}

TEST(StreamStorm, ReconnectingClientsMissNothingAndDuplicateNothing) {
    const std::uint32_t seed = storm_seed();
    const std::string tag = "[storm seed " + std::to_string(seed) +
                            "; replay with PARLEY_STORM_SEED=" + std::to_string(seed) + "] ";
    std::cout << tag << '\n';

    ParleyServer server;
    const std::vector<std::string> phones = {kAdminPhone, kBobPhone,  kCarolPhone,
                                             kDavePhone,  kErinPhone, kFrankPhone};
    std::vector<Session> users;
    for (const auto& phone : phones) users.push_back(server.sign_in(phone));

    // Three groups, each user in one or two of them, and a 1:1 chat between users 0 and 1.
    auto group = [&](int owner, const std::string& name, std::vector<int> others) {
        json member_phones = json::array();
        for (int u : others) member_phones.push_back(users[u].phone);
        auto r = server.post("/api/v1/groups", {{"name", name}, {"members", member_phones}},
                             users[owner].token);
        if (r.status != 201) throw std::runtime_error("group " + name + ": " + r.raw);
        others.insert(others.begin(), owner);
        return Conversation{r.body["id"].get<std::string>(), others};
    };
    std::vector<Conversation> conversations;
    conversations.push_back(group(0, "Busy", {1, 2, 3}));
    conversations.push_back(group(2, "Second", {3, 4, 5}));
    conversations.push_back(group(4, "Third", {0, 5}));
    auto chat = server.post("/api/v1/chats", {{"phone", users[1].phone}}, users[0].token);
    ASSERT_EQ(chat.status, 201) << chat;
    conversations.push_back(Conversation{chat.body["id"].get<std::string>(), {0, 1}});

    Shared shared;
    shared.port = server.port();
    shared.deadline = Clock::now() + kDeadline;
    for (const auto& c : conversations) {
        const auto history = all_messages(server.http(), c.id, users[c.members[0]].token);
        if (!history.empty()) shared.note_acked(c.id, history.back()["seq"].get<std::int64_t>());
    }

    // Even-numbered users' devices were in sync before the storm; odd ones start with nothing.
    std::vector<std::unique_ptr<StormClient>> clients;
    for (std::size_t u = 0; u < users.size(); ++u) {
        std::vector<std::string> mine;
        for (const auto& c : conversations) {
            if (std::ranges::find(c.members, static_cast<int>(u)) != c.members.end()) {
                mine.push_back(c.id);
            }
        }
        clients.push_back(std::make_unique<StormClient>(static_cast<int>(u), shared,
                                                        server.client(), users[u], mine,
                                                        seed + 1000 + static_cast<int>(u)));
        if (u % 2 == 0) clients.back()->sync_over_http();
    }

    std::vector<std::thread> client_threads;
    for (auto& client : clients) {
        // Users 1 (the busy group and the chat) and 3 end on a new device.
        const bool new_device_at_end = client->index() == 1 || client->index() == 3;
        client_threads.emplace_back(
            [&client, new_device_at_end] { client->run(new_device_at_end); });
    }
    std::vector<std::vector<Sent>> sent(kSenders);
    std::vector<std::vector<std::string>> sender_problems(kSenders);
    std::vector<std::unique_ptr<HttpClient>> sender_http;
    for (int s = 0; s < kSenders; ++s) sender_http.push_back(server.client());
    const auto started = Clock::now();
    {
        std::vector<std::thread> senders;
        for (int s = 0; s < kSenders; ++s) {
            senders.emplace_back([&, s] {
                send_storm(s, shared, *sender_http[s], users, conversations, seed + s, sent[s],
                           sender_problems[s]);
            });
        }
        for (auto& t : senders) t.join();
    }
    const auto sent_in = Clock::now() - started;
    shared.senders_done = true;
    for (auto& t : client_threads) t.join();

    // ---- The verdict --------------------------------------------------------------------------
    std::vector<std::string> problems;
    for (const auto& p : sender_problems) problems.insert(problems.end(), p.begin(), p.end());
    Stats total;
    for (const auto& client : clients) {
        problems.insert(problems.end(), client->problems().begin(), client->problems().end());
        total += client->stats();
    }

    std::map<std::string, std::vector<const Sent*>> sent_to;
    std::size_t sent_count = 0;
    for (const auto& per_sender : sent) {
        for (const auto& s : per_sender) sent_to[s.conversation_id].push_back(&s);
        sent_count += per_sender.size();
    }
    std::map<std::string, std::vector<json>> history;
    for (const auto& c : conversations) {
        auto& h = history[c.id] = all_messages(server.http(), c.id, users[c.members[0]].token);
        std::size_t storm_messages = 0;
        for (std::size_t i = 0; i < h.size(); ++i) {
            if (h[i].value("seq", std::int64_t{0}) != static_cast<std::int64_t>(i + 1)) {
                problems.push_back("history of " + c.id + " has " + h[i].dump() + " at position " +
                                   std::to_string(i + 1));
            }
            const json& client_id = h[i]["client_id"];
            if (client_id.is_string() && client_id.get<std::string>().starts_with("storm-")) {
                ++storm_messages;
            }
        }
        if (storm_messages != sent_to[c.id].size()) {
            problems.push_back("history of " + c.id + " holds " + std::to_string(storm_messages) +
                               " storm messages; " + std::to_string(sent_to[c.id].size()) +
                               " were acknowledged");
        }
        for (const Sent* s : sent_to[c.id]) {
            const std::size_t at = static_cast<std::size_t>(s->seq) - 1;
            const json* m = at < h.size() ? &h[at] : nullptr;
            if (!m || m->value("id", "") != s->id || m->value("text", "") != s->text ||
                m->value("sender_id", json()) != s->sender_id ||
                m->value("client_id", json()) != s->client_id || m->value("kind", "") != "text") {
                problems.push_back("acknowledged " + s->id + " (seq " + std::to_string(s->seq) +
                                   ", " + s->client_id + ") is in history as " +
                                   (m ? m->dump() : std::string("nothing")));
            }
        }
    }

    for (const auto& client : clients) {
        for (const auto& conversation : client->conversations()) {
            const auto& h = history[conversation];
            const auto found = client->messages().find(conversation);
            static const std::map<std::int64_t, json> kNone;
            const auto& got = found == client->messages().end() ? kNone : found->second;
            std::vector<std::int64_t> missing;
            for (std::size_t i = 0; i < h.size(); ++i) {
                const auto seq = static_cast<std::int64_t>(i + 1);
                const auto it = got.find(seq);
                if (it == got.end()) {
                    missing.push_back(seq);
                } else if (it->second != as_live(h[i])) {
                    problems.push_back("client " + std::to_string(client->index()) + " holds " +
                                       it->second.dump() + " where history has " + h[i].dump());
                }
            }
            if (!missing.empty()) {
                std::string list;
                for (std::size_t i = 0; i < missing.size() && i < 20; ++i) {
                    list += (i ? ", " : "") + std::to_string(missing[i]);
                }
                problems.push_back("client " + std::to_string(client->index()) + " misses " +
                                   std::to_string(missing.size()) + " of " +
                                   std::to_string(h.size()) + " messages of " + conversation +
                                   ": seq " + list + (missing.size() > 20 ? ", …" : ""));
            }
            for (const auto& [seq, message] : got) {
                if (seq < 1 || seq > static_cast<std::int64_t>(h.size())) {
                    problems.push_back("client " + std::to_string(client->index()) +
                                       " holds a seq history does not have: " + message.dump());
                }
            }
        }
    }

    std::cout << tag << sent_count << " messages sent in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(sent_in).count() << " ms; "
              << total << '\n';
    EXPECT_EQ(sent_count, static_cast<std::size_t>(kSenders * kSendsPerSender)) << tag;
    // The storm did what it is for: these are certain by construction, whatever the timing.
    EXPECT_GE(total.drops_mid_resume, 2) << tag << total;
    EXPECT_GE(total.truncations, 2) << tag << total;
    EXPECT_GE(total.fresh_devices, 2) << tag << total;
    for (std::size_t i = 0; i < problems.size() && i < kMaxProblemsShown; ++i) {
        ADD_FAILURE() << tag << problems[i];
    }
    if (problems.size() > kMaxProblemsShown) {
        ADD_FAILURE() << tag << "… and " << problems.size() - kMaxProblemsShown << " more problems";
    }
}

}  // namespace
}  // namespace parley::it

"""The demo page shows what the app sent, safely; and the fake starts as its own process for `make run`."""
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import requests

from tests.fake_line.samples import changed, flex, letter_bubble

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_page_shows_pushed_cards_texts_links_and_colours(fake, friend):
    fake.push(friend["userId"], [flex(letter_bubble("ประชุมครั้งแรก"), "การ์ดแรก")], str(uuid.uuid4()))
    hostile = letter_bubble('<script>alert("x")</script>', uri="https://esaraban.example/d/7?a=1&b=2")
    hostile = changed(hostile, ["header", "contents", 0, "color"], "red;background:url(x)")
    fake.push(friend["userId"], [flex(hostile, "การ์ดที่สอง <i>")], str(uuid.uuid4()))
    page = fake.http.get(fake.url + "/").text
    assert "LINE จำลอง" in page and "สมศรี ทดสอบ" in page and friend["userId"] in page
    assert page.index("การ์ดที่สอง") < page.index("การ์ดแรก")  # newest first
    second = page[page.index("การ์ดที่สอง"):page.index("การ์ดแรก")]
    texts = ["หนังสือเข้าใหม่", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
             "ที่ ลย 51001/123 · ด่วนที่สุด", "กำหนดเสร็จ", "30 พ.ย. 2569", "เปิดหนังสือ"]
    positions = [second.index(text) for text in texts]
    assert positions == sorted(positions)
    assert "<script>" not in page and "การ์ดที่สอง &lt;i&gt;" in page
    assert 'href="https://esaraban.example/d/7?a=1&amp;b=2"' in second
    assert 'style="color: #DC3545"' in second and 'style="background: #0B5ED7"' in second
    assert "red;background" not in page


def test_the_demo_page_makes_friends_and_shows_replies(fake, receiver):
    response = fake.http.post(fake.url + "/demo/follow", data={"displayName": "ผู้สาธิต"},
                              allow_redirects=False)
    assert response.status_code == 302
    [event] = receiver.events()
    assert event["type"] == "follow"
    page = fake.http.get(fake.url + response.headers["Location"]).text
    assert f"<code>{event['source']['userId']}</code>" in page and "ผู้สาธิต" in page
    welcome = {"type": "text", "text": "ยินดีต้อนรับสู่ e-Saraban"}
    reply = {"replyToken": event["replyToken"], "messages": [welcome]}
    fake.api("POST", "/v2/bot/message/reply", json=reply)
    assert "ยินดีต้อนรับสู่ e-Saraban" in fake.http.get(fake.url + "/").text


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_python_m_fake_line_serves_with_settings_from_the_environment():
    port = free_port()
    environ = dict(os.environ, LINE_CHANNEL_ACCESS_TOKEN="env-token", LINE_CHANNEL_SECRET="env-secret")
    command = [sys.executable, "-m", "fake_line", "--port", str(port), "--monthly-quota", "7"]
    process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in process.stdout.readline()
        http = requests.Session()
        http.trust_env = False
        quota = http.get(f"http://127.0.0.1:{port}/v2/bot/message/quota",
                         headers={"Authorization": "Bearer env-token"}, timeout=5)
        assert quota.json() == {"type": "limited", "value": 7}
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def test_python_m_fake_line_needs_a_token_and_a_secret():
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LINE_")}
    result = subprocess.run([sys.executable, "-m", "fake_line", "--port", "0"], cwd=ROOT, env=environ,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "--channel-token and --channel-secret" in result.stderr

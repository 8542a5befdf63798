"""The data set of the search and dashboard benchmark: ten years of letters of อบจ.เลย, 1,000,000 by default.

The organisation: the อบจ. itself, 15 สำนัก/กอง, and below them 265 ฝ่าย/งาน, schools, child centres and
รพ.สต. (281 units), each with a head, a clerk and operators, and a receive and a send register.

The letters, in time order over the ten calendar years up to `--until` (BE 2560-2569 when run in 2026), on
working days in office hours, each year 8% more than the year before:
- 30% come from outside (จังหวัดเลย, กรมส่งเสริมการปกครองท้องถิ่น, อำเภอ, อบต., ...) and are registered
  straight away in the receiving unit's receive register;
- 70% are memos a unit numbers in its send register and sends to 1-3 of our units. Each delivery is
  registered (ลงรับ) a few working hours later, some returned or recalled; those sent in the last hours
  still wait, unread or read.
- Every registered letter is worked on in the unit that registered it (a `handling` row). Work takes days
  (a few take months), so the recent letters are spread over new, with the manager, at work, awaiting
  signature and signed, and the older ones closed. About 20% have a due date, some now overdue.
- Units are busy in a Zipf-like spread; the central registry (งานสารบรรณ of สำนักปลัด) is concerned by
  about 10% of the letters. Numbers run from 1 in each register and calendar year, gap-free, in time order.
- Subjects average about 57 characters, from templates of local-government correspondence with Loei's
  districts, villages, projects, budget years and a few English words (COVID-19, LINE, ITA, e-GP).
  COMMON_WORD (ประชุม) is in about 5% of them, RARE_WORD (นาป่าหนาด, a village) in RARE_COUNT only.
- Open deliveries and unfinished work have their workflow instance and ready task (what task lists and the
  dashboard count); the workflow history of finished ones, handling notes and audit events are left out.

Run by tests/bench/search.py, or on its own (it replaces the database):
    scripts/bench-mariadb.sh start && eval "$(scripts/bench-mariadb.sh env)"
    .venv/bin/python -m tests.bench.search_data [--documents 1000000] [--seed 1] [--until 2026-11-24]
"""
import argparse
import bisect
import heapq
import itertools
import math
import os
import queue
import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from pymysql.converters import escape_string
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.auth import passwords
from app.core.models import utcnow
from app.documents.models import (Category, DeliveryMethod, Document, DocumentOperator, DocumentRecipient,
                                  DocumentType)
from app.extensions import db
from app.followups.models import Follow
from app.handling.models import Handling
from app.org.demo import CATEGORIES
from app.org.models import Unit, User, UserRole
from app.registry.models import Register, RegisterCounter, RegisterEntry, Registration
from app.routing.models import Delivery
from app.workflow import definitions
from app.workflow.models import WorkflowInstance, WorkflowTask
from app.workflow.steps import SHIPPED_TASK_KINDS
from tests.conftest import app_environ, build_schema, recreate_database

DATABASE = "esaraban_bench_search"
COMMON_WORD = "ประชุม"
RARE_WORD = "นาป่าหนาด"
RARE_COUNT = 40
BUSY_UNIT = "palad.saraban"
BATCH = 5000
WRITERS = 2
YEARS = 10
OUTSIDE_SHARE = 0.30
BUSY_SHARE_OF_ARRIVALS = 0.13    # outside letters addressed to the อบจ. that the central registry receives
BUSY_WEIGHT = 0.032              # its share of the units' own memos, as sender or recipient
BANGKOK = timedelta(hours=7)     # no daylight saving: local = UTC + 7
OFFICE_OPENS, OFFICE_MINUTES = 8 * 60 + 30, 8 * 60


class Choice:
    """A weighted choice among a few values, given as (value, weight) pairs."""

    def __init__(self, *pairs):
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


# ---- the organisation ---------------------------------------------------------------------------------

ORGANISATION = ("pao-loei", "องค์การบริหารส่วนจังหวัดเลย")
DIVISIONS = [  # code, name, sections (ฝ่าย/งาน)
    ("palad", "สำนักปลัดองค์การบริหารส่วนจังหวัด", ["งานสารบรรณ", "ฝ่ายบริหารงานทั่วไป", "ฝ่ายนิติการ",
     "ฝ่ายประชาสัมพันธ์", "ฝ่ายเทคโนโลยีสารสนเทศ", "งานรัฐพิธี", "ฝ่ายรับเรื่องราวร้องทุกข์"]),
    ("secretary", "สำนักงานเลขานุการนายกองค์การบริหารส่วนจังหวัด",
     ["งานเลขานุการนายก", "งานรับรองและพิธีการ"]),
    ("council", "กองกิจการสภาองค์การบริหารส่วนจังหวัด", ["ฝ่ายกิจการสภา", "ฝ่ายระเบียบวาระและบันทึก"]),
    ("finance", "กองคลัง", ["ฝ่ายการเงิน", "ฝ่ายบัญชี", "ฝ่ายพัฒนารายได้", "ฝ่ายตรวจสอบฎีกา",
     "ฝ่ายบริหารงานคลัง"]),
    ("strategy", "กองยุทธศาสตร์และงบประมาณ", ["ฝ่ายนโยบายและแผน", "ฝ่ายงบประมาณ", "ฝ่ายติดตามและประเมินผล",
     "ฝ่ายประสานแผนพัฒนาท้องถิ่น"]),
    ("engineering", "กองช่าง", ["ฝ่ายสำรวจและออกแบบ", "ฝ่ายก่อสร้าง", "ฝ่ายซ่อมบำรุง", "ฝ่ายเครื่องจักรกล",
     "ฝ่ายควบคุมคุณภาพวัสดุ"]),
    ("education", "กองการศึกษา ศาสนาและวัฒนธรรม", ["ฝ่ายบริหารการศึกษา", "ฝ่ายส่งเสริมการศึกษา",
     "ฝ่ายศาสนาและวัฒนธรรม", "ฝ่ายกีฬาและนันทนาการ"]),
    ("health", "กองสาธารณสุข", ["ฝ่ายบริหารงานสาธารณสุข", "ฝ่ายควบคุมโรค", "ฝ่ายส่งเสริมสุขภาพ",
     "ฝ่ายอนามัยสิ่งแวดล้อม"]),
    ("supplies", "กองพัสดุและทรัพย์สิน", ["ฝ่ายจัดหาพัสดุ", "ฝ่ายทะเบียนทรัพย์สิน", "ฝ่ายบริหารสัญญา"]),
    ("personnel", "กองการเจ้าหน้าที่", ["ฝ่ายสรรหาและบรรจุแต่งตั้ง", "ฝ่ายพัฒนาบุคลากร", "ฝ่ายวินัย",
     "ฝ่ายสวัสดิการและสิทธิประโยชน์"]),
    ("audit", "หน่วยตรวจสอบภายใน", ["งานตรวจสอบภายใน"]),
    ("welfare", "กองส่งเสริมคุณภาพชีวิต", ["ฝ่ายสวัสดิการสังคม", "ฝ่ายส่งเสริมอาชีพ"]),
    ("tourism", "กองการท่องเที่ยวและกีฬา", ["ฝ่ายส่งเสริมการท่องเที่ยว", "ฝ่ายประชาสัมพันธ์การท่องเที่ยว"]),
    ("environment", "กองทรัพยากรธรรมชาติและสิ่งแวดล้อม", ["ฝ่ายทรัพยากรธรรมชาติ", "ฝ่ายบริหารจัดการขยะ"]),
    ("disaster", "กองป้องกันและบรรเทาสาธารณภัย", ["ฝ่ายป้องกันสาธารณภัย", "ฝ่ายกู้ภัยและฟื้นฟู"]),
]
SECTIONS_TOTAL = 265  # the rest, after the ฝ่าย above, are รพ.สต., schools and child centres
SCHOOLS, CHILD_CENTRES = 36, 50

DISTRICTS = {  # อำเภอ: ตำบล
    "เมืองเลย": ["กกดู่", "กกทอง", "กุดป่อง", "ชัยพฤกษ์", "นาดินดำ", "นาโป่ง", "นาอาน", "นาอ้อ", "นาแขม",
                 "น้ำสวย", "น้ำหมาน", "ศรีสองรัก", "เมือง", "เสี้ยว"],
    "นาด้วง": ["นาด้วง", "นาดอกคำ", "ท่าสะอาด", "ท่าสวรรค์"],
    "เชียงคาน": ["เชียงคาน", "ธาตุ", "นาซ่าว", "เขาแก้ว", "ปากตม", "บุฮม", "จอมศรี", "หาดทรายขาว"],
    "ปากชม": ["ปากชม", "เชียงกลม", "หาดคัมภีร์", "ห้วยบ่อซืน", "ห้วยพิชัย", "ชมเจริญ"],
    "ด่านซ้าย": ["ด่านซ้าย", "ปากหมัน", "นาดี", "โคกงาม", "โพนสูง", "อิปุ่ม", "กกสะทอน", "โป่ง", "วังยาว",
                 "นาหอ"],
    "นาแห้ว": ["นาแห้ว", "แสงภา", "นาพึง", "นามาลา", "เหล่ากอหก"],
    "ภูเรือ": ["หนองบัว", "ท่าศาลา", "ร่องจิก", "ปลาบ่า", "ลาดค่าง", "สานตม"],
    "ท่าลี่": ["ท่าลี่", "หนองผือ", "อาฮี", "น้ำแคม", "โคกใหญ่", "น้ำทูน"],
    "วังสะพุง": ["วังสะพุง", "ทรายขาว", "หนองหญ้าปล้อง", "เขาหลวง", "โคกขมิ้น", "ศรีสงคราม", "ผาน้อย",
                 "ผาบิ้ง", "หนองงิ้ว", "ปากปวน"],
    "ภูกระดึง": ["ศรีฐาน", "ผานกเค้า", "ภูกระดึง", "ห้วยส้ม"],
    "ภูหลวง": ["ภูหอ", "หนองคัน", "ห้วยสีเสียด", "เลยวังไสย์", "แก่งศรีภูมิ"],
    "ผาขาว": ["ผาขาว", "ท่าช้างคล้อง", "โนนป่าซาง", "บ้านเพิ่ม", "โนนปอแดง"],
    "เอราวัณ": ["เอราวัณ", "ผาอินทร์แปลง", "ผาสามยอด", "ทรัพย์ไพวัลย์"],
    "หนองหิน": ["หนองหิน", "ตาดข่า", "ปวนพุ"],
}
TAMBONS = [(district, tambon) for district, tambons in DISTRICTS.items() for tambon in tambons]
VILLAGES = ["นาบอน", "ห้วยไผ่", "โคกสว่าง", "หนองบัวใหญ่", "นาหว้า", "ผาหวาย", "ห้วยทราย", "นาค้อ",
            "โนนสว่าง", "หินตั้ง", "กกเกลี้ยง", "นาจาน", "ป่าบง", "ห้วยน้ำริน", "นาหลักหมื่น", "แก่งม่วง",
            "วังบอน", "ห้วยลาด", "โป่งชี", "นาข่า", "โคกมน", "ปากภู", "ห้วยเดื่อ", "น้ำพาน", "นาแก",
            "ซำทอง", "หนองแซง", "ท่าดีหมี", "ห้วยขาม", "นาเจริญ", "ผาสะนา", "ห้วยบุ่ง", "นาล้อม", "โคกป่าซาด",
            "หัวนา", "ท่าบม", "ห้วยพอด", "นาเบน", "ไร่ม่วง", "ปากห้วย"]
PLACES = ["อุทยานแห่งชาติภูกระดึง", "ภูเรือ", "แก่งคุดคู้", "พระธาตุศรีสองรัก", "สวนหินผางาม",
          "ถนนคนเดินเชียงคาน", "ภูป่าเปาะ", "อุทยานแห่งชาติภูสวนทราย", "พิพิธภัณฑ์ผีตาโขน", "ภูทอก",
          "ภูบ่อบิด", "บึงหนองบัว"]
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
FIRST_NAMES = ["สมชาย", "สมศักดิ์", "วิไลวรรณ", "กาญจนา", "ประเสริฐ", "สุภาพร", "ธนากร", "ศิริพร", "รัตนา",
               "วีระพงษ์", "จิราพร", "สุรชัย", "อรุณี", "กิตติศักดิ์", "นันทนา", "พงศธร", "จันทร์เพ็ญ",
               "ปิยะนุช", "ณัฐพล", "สุดารัตน์", "เพ็ญศรี", "อัญชลี", "บุญมี", "ทองใบ", "สมพร", "อนุชา",
               "ชัยวัฒน์", "พรทิพย์", "มณีรัตน์", "ยุทธนา", "วันเพ็ญ", "ศุภชัย", "อำนาจ", "เกศินี"]
LAST_NAMES = ["ใจดี", "ศรีเลย", "วงศ์ไทย", "แสงทอง", "บุญมา", "ทองดี", "ผาขาว", "นาแห้ว", "ท่าลี่",
              "ปากชม", "หนองหิน", "เอราวัณ", "ภูเรือ", "ผาน้อย", "กุดป่อง", "ศรีสองคอน", "เมืองเลย",
              "แก้วมณี", "พรมมา", "สีหานาม", "จันทร์หอม", "ศรีบุญเรือง", "อินทรประเสริฐ", "คำภูเมือง"]

# ---- subjects --------------------------------------------------------------------------------------------

PROJECTS = [
    "ก่อสร้างถนนคอนกรีตเสริมเหล็ก สายบ้าน{village} - บ้าน{village2}", "ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรม",
    "ป้องกันและแก้ไขปัญหาไฟป่าและหมอกควัน", "อบรมพัฒนาศักยภาพบุคลากรท้องถิ่น",
    "ฝึกอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน (อปพร.)", "แข่งขันกีฬาเยาวชนจังหวัดเลย ครั้งที่ {n}",
    "จัดงานประเพณีบุญหลวงและการละเล่นผีตาโขน", "ก่อสร้างระบบประปาหมู่บ้าน บ้าน{village}",
    "ขุดลอกลำห้วย{village} ตำบล{tambon}", "ส่งเสริมอาชีพผู้สูงอายุและผู้พิการ",
    "คัดกรองผู้ป่วยเบาหวานและความดันโลหิตสูง", "รณรงค์ป้องกันโรคไข้เลือดออก",
    "ฉีดวัคซีนป้องกัน COVID-19 เชิงรุก", "พัฒนาระบบสารสนเทศเพื่อการบริหารจัดการ", "ปลูกป่าเฉลิมพระเกียรติ",
    "ส่งเสริมการเรียนรู้ตลอดชีวิต", "ขยายเขตไฟฟ้าเพื่อการเกษตร บ้าน{village}",
    "ปรับปรุงภูมิทัศน์{place}", "ซ่อมสร้างผิวทางแอสฟัลท์ติกคอนกรีต สาย ลย.ถ {road}",
    "ธนาคารขยะรีไซเคิลในโรงเรียน", "เลยเมืองสะอาด ปลอดขยะ (Zero Waste)", "ครอบครัวอบอุ่นต้านภัยยาเสพติด",
]
THINGS = ["ข้อมูลผลการดำเนินงาน", "รถยนต์ส่วนกลางพร้อมพนักงานขับรถ", "บุคลากรเป็นวิทยากร", "ใช้สถานที่",
          "สนับสนุนน้ำดื่ม", "ตรวจสอบข้อมูลผู้มีสิทธิ์", "เครื่องขยายเสียงและเต็นท์",
          "ข้อมูลประชากรกลุ่มเป้าหมาย"]
MEETINGS = ["สภาองค์การบริหารส่วนจังหวัดเลย สมัยสามัญ สมัยที่ {n}", "คณะกรรมการพัฒนาจังหวัดเลย",
            "คณะกรรมการประสานแผนพัฒนาท้องถิ่นระดับจังหวัด", "หัวหน้าส่วนราชการประจำเดือน{month}",
            "คณะทำงานป้องกันและแก้ไขปัญหาไฟป่าและหมอกควัน", "คณะกรรมการกองทุนหลักประกันสุขภาพ",
            "ผู้บริหารและหัวหน้าส่วนราชการ ผ่านระบบ Zoom", "คณะกรรมการติดตามและประเมินผลแผนพัฒนา"]
ITEMS = ["วัสดุสำนักงาน", "ครุภัณฑ์คอมพิวเตอร์", "วัสดุเชื้อเพลิงและหล่อลื่น", "ยาและเวชภัณฑ์มิใช่ยา",
         "วัสดุก่อสร้าง", "ครุภัณฑ์การแพทย์", "อาหารเสริม (นม) โรงเรียน", "รถบรรทุกน้ำอเนกประสงค์"]
TOPICS = ["การจัดทำแผนพัฒนาท้องถิ่น", "การเบิกจ่ายเงินงบประมาณ", "การจัดซื้อจัดจ้างผ่านระบบ e-GP",
          "การป้องกันและปราบปรามการทุจริต", "การเลือกตั้งสมาชิกสภาท้องถิ่นและผู้บริหารท้องถิ่น",
          "การบริหารจัดการขยะมูลฝอยชุมชน", "การถ่ายโอนภารกิจสถานีอนามัย", "การรับเงินอุดหนุนทั่วไป"]
DISASTERS = ["อุทกภัย", "วาตภัย", "ภัยแล้ง", "ภัยจากไฟป่าและหมอกควัน", "ภัยดินโคลนถล่ม", "ภัยหนาว"]
DISEASES = ["ไข้เลือดออก", "COVID-19", "โรคมือเท้าปาก", "ไข้หวัดใหญ่", "โรคฝีดาษวานร (Mpox)",
            "โรคพิษสุนัขบ้า"]
FESTIVALS = ["ประเพณีบุญหลวงและการละเล่นผีตาโขน อำเภอด่านซ้าย", "ดอกฝ้ายบานและงานกาชาดจังหวัดเลย",
             "ประเพณีแห่ต้นดอกไม้ อำเภอท่าลี่", "มหัศจรรย์ดอกไม้เมืองหนาว ภูเรือ", "ประเพณีไหลเรือไฟ"]
PUBLIC = ["ช่องทางการติดต่อผ่าน LINE Official Account", "การชำระภาษีบำรุง อบจ. จากสถานค้าปลีกยาสูบ",
          "รับสมัครบุคคลเพื่อสรรหาและเลือกสรรเป็นพนักงานจ้าง", "ผลการประเมิน ITA ขององค์กร",
          "การรับฟังความคิดเห็นร่างข้อบัญญัติ", "ศูนย์ดำรงธรรมองค์การบริหารส่วนจังหวัดเลย"]
COMMITTEES = ["ตรวจรับพัสดุ", "กำหนดราคากลาง", "สอบข้อเท็จจริง", "ดำเนินการสอบคัดเลือก",
              "จัดทำร่างขอบเขตของงาน (TOR)"]
CITIES = ["กรุงเทพมหานคร", "จังหวัดขอนแก่น", "จังหวัดอุดรธานี", "จังหวัดหนองคาย", "จังหวัดเชียงใหม่"]
OUTSIDE = ["จังหวัดเลย", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย", "กรมส่งเสริมการปกครองท้องถิ่น",
           "ที่ว่าการอำเภอ{district}", "องค์การบริหารส่วนตำบล{tambon}", "เทศบาลตำบล{tambon}",
           "เทศบาลเมืองเลย",
           "สำนักงานสาธารณสุขจังหวัดเลย", "สำนักงานตรวจเงินแผ่นดินจังหวัดเลย", "มหาวิทยาลัยราชภัฏเลย",
           "ตำรวจภูธรจังหวัดเลย", "สำนักงานทางหลวงชนบทจังหวัดเลย", "การไฟฟ้าส่วนภูมิภาคจังหวัดเลย",
           "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดเลย", "สำนักงาน ป.ป.ช. ประจำจังหวัดเลย"]
OUTSIDE_NUMBERS = ["มท 0810.{k}/ว {n}", "ลย 0023.{k}/ว {n}", "ลย 0023.{k}/{n}", "ลย 0017.{k}/{n}",
                   "ลย 0032/{n}", "ลย 7{k}01/{n}", "ลย 5{k}002/{n}"]

SUBJECTS = [  # weight, template; the COMMON_WORD templates weigh 5 in 100
    (3.0, "ขอเชิญประชุม{meeting} ครั้งที่ {n}/{be}"),
    (1.0, "รายงานการประชุม{meeting} ครั้งที่ {n}/{be}"),
    (1.0, "ขออนุญาตใช้ห้องประชุม อบจ.เลย เพื่อดำเนินโครงการ{project}"),
    (6.0, "ขอความอนุเคราะห์{thing}"),
    (5.0, "ขอความอนุเคราะห์{thing} โครงการ{project}"),
    (6.0, "รายงานผลการดำเนินงาน{project} ประจำเดือน{month}"),
    (7.0, "โครงการ{project} ปีงบประมาณ {by}"),
    (3.0, "ประกาศผู้ชนะการเสนอราคาจ้าง{project} (e-bidding)"),
    (5.0, "ขออนุมัติจัดซื้อ{item} จำนวน {n} รายการ"),
    (3.0, "รายงานผลการจัดซื้อจัดจ้าง ไตรมาสที่ {q}/{by}"),
    (5.0, "ขออนุมัติเดินทางไปราชการ ณ {city} ระหว่างวันที่ {d}-{d2} {month} {be}"),
    (4.0, "ซักซ้อมแนวทางการปฏิบัติเกี่ยวกับ{topic}"),
    (2.0, "การประเมินคุณธรรมและความโปร่งใส (ITA) ประจำปี {by}"),
    (4.0, "ขอให้ช่วยเหลือผู้ประสบ{disaster} ตำบล{tambon} อำเภอ{district}"),
    (5.0, "ขอรับการสนับสนุนงบประมาณ{project}"),
    (4.0, "แต่งตั้งคณะกรรมการ{committee}"),
    (3.0, "ขอเชิญร่วมงาน{festival} ประจำปี {be}"),
    (3.0, "ประชาสัมพันธ์{public}"),
    (3.0, "ขอโอน (ย้าย) พนักงานส่วนตำบล{tambon} มาดำรงตำแหน่งเจ้าพนักงานธุรการ"),
    (2.0, "การเลื่อนขั้นเงินเดือน ครั้งที่ {h} (1 {halfmonth} {be})"),
    (4.0, "ขอเบิกจ่ายเงินโครงการ{project}"),
    (5.0, "ขอให้ซ่อมแซมถนนลาดยาง สาย ลย.ถ {road} อำเภอ{district}"),
    (4.0, "การเฝ้าระวังและควบคุม{disease} ในพื้นที่จังหวัดเลย"),
    (2.0, "ขอความร่วมมือประชาสัมพันธ์{place} ผ่าน LINE และ Facebook"),
    (3.0, "ขอส่งรายงานการเงินประจำเดือน{month} {be}"),
    (3.0, "ขอส่งสำเนาคำสั่งแต่งตั้งเจ้าหน้าที่{duty}"),
    (3.0, "แจ้งกำหนดการตรวจติดตาม{project}"),
]
RARE_SUBJECTS = [
    "ขอให้ซ่อมแซมถนนเข้าหมู่บ้าน บ้าน{rare} อำเภอเชียงคาน",
    "ขอเชิญร่วมงานประเพณีเสนเรือนชาวไทดำ บ้าน{rare} ประจำปี {be}",
    "ขอรับการสนับสนุนงบประมาณก่อสร้างประปา บ้าน{rare} ตำบลเขาแก้ว",
]
DUTIES = ["ผู้ตรวจรับพัสดุ", "ประจำศูนย์ปฏิบัติการร่วม", "เวรรักษาความปลอดภัย", "ผู้ดูแลระบบ e-LAAS",
          "ตามพระราชบัญญัติข้อมูลข่าวสาร"]
LEVELS = ["ปฏิบัติงาน", "ชำนาญงาน", "อาวุโส"]

SPEEDS = Choice(("normal", 85), ("urgent", 8), ("very_urgent", 5), ("most_urgent", 2))
SECRECY = Choice(("normal", 990), ("confidential", 7), ("secret", 2.5), ("top_secret", 0.5))
DUE_SHARE, DUE_DAYS = 0.20, (3, 5, 7, 7, 15, 15, 30)


def fiscal_year_be(day):
    """ปีงบประมาณ: from 1 October, in the Buddhist Era."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


LIST_SLOTS = dict(village=VILLAGES, village2=VILLAGES, place=PLACES, thing=THINGS, item=ITEMS, topic=TOPICS,
                  disaster=DISASTERS, disease=DISEASES, festival=FESTIVALS, public=PUBLIC,
                  committee=COMMITTEES, city=CITIES, level=LEVELS, duty=DUTIES,
                  halfmonth=("เมษายน", "ตุลาคม"))
NESTED_SLOTS = dict(meeting=MEETINGS, project=PROJECTS)
NUMBER_SLOTS = dict(
    be=lambda rng, day: day.year + 543, by=lambda rng, day: fiscal_year_be(day),
    by4=lambda rng, day: fiscal_year_be(day) + 4, month=lambda rng, day: THAI_MONTHS[day.month - 1],
    n=lambda rng, day: rng.randint(1, 12), q=lambda rng, day: rng.randint(1, 4),
    h=lambda rng, day: rng.randint(1, 2),
    d=lambda rng, day: rng.randint(1, 20), d2=lambda rng, day: rng.randint(21, 28),
    road=lambda rng, day: f"{rng.randint(1, 99):02d}-0{rng.randint(1, 9)}", rare=lambda rng, day: RARE_WORD)


class Slots(dict):
    """The values of one subject's slots, each drawn when the template first asks for it."""

    def __init__(self, rng, day):
        super().__init__()
        self.rng, self.day = rng, day

    def __missing__(self, name):
        if name in ("district", "tambon"):  # drawn together, so the ตำบล lies in the อำเภอ
            self["district"], self["tambon"] = self.rng.choice(TAMBONS)
            return self[name]
        if name in LIST_SLOTS:
            value = self.rng.choice(LIST_SLOTS[name])
        elif name in NESTED_SLOTS:
            value = self.rng.choice(NESTED_SLOTS[name]).format_map(self)
        else:
            value = NUMBER_SLOTS[name](self.rng, self.day)
        self[name] = value
        return value


class SubjectWriter:
    """Subjects from the templates above, with the slots filled for the letter's date."""

    def __init__(self, rng):
        self.rng = rng
        self.templates = [template for _, template in SUBJECTS]
        self.cumulative = list(itertools.accumulate(weight for weight, _ in SUBJECTS))

    def subject(self, day, rare=False):
        if rare:
            template = self.rng.choice(RARE_SUBJECTS)
        else:
            template = self.templates[bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]
        return template.format_map(Slots(self.rng, day))

    def outside_sender(self):
        return self.rng.choice(OUTSIDE).format_map(Slots(self.rng, None))

    def outside_number(self):
        return self.rng.choice(OUTSIDE_NUMBERS).format(k=self.rng.randint(1, 6), n=self.rng.randint(1, 9999))


# ---- the organisation, its people and registers -----------------------------------------------------------

@dataclass
class UnitPlan:
    id: int
    code: str
    kind: str
    name_th: str
    parent_id: int | None
    letter_code: str
    clerks: list = field(default_factory=list)
    managers: list = field(default_factory=list)
    operators: list = field(default_factory=list)
    receive_register: int = 0
    send_register: int = 0


def unit_plans():
    """The units, parents first: the organisation, its divisions and their ฝ่าย/งาน, then the schools, child
    centres and รพ.สต. that make SECTIONS_TOTAL."""
    units = [UnitPlan(1, ORGANISATION[0], "organisation", ORGANISATION[1], None, "ลย 51000")]
    divisions = {}
    for number, (code, name, sections) in enumerate(DIVISIONS, start=1):
        divisions[code] = UnitPlan(len(units) + 1, code, "division", name, 1, f"ลย 510{number:02d}")
        units.append(divisions[code])
    below = [(f"{code}.{i:02d}" if name != "งานสารบรรณ" else BUSY_UNIT, name, code)
             for code, _, sections in DIVISIONS for i, name in enumerate(sections, start=1)]
    tambons = [tambon for _, tambon in TAMBONS]
    below += [(f"education.school{i:02d}", f"โรงเรียน{tambon}วิทยาคม", "education")
              for i, tambon in enumerate(tambons[:SCHOOLS], start=1)]
    below += [(f"education.child{i:02d}", f"ศูนย์พัฒนาเด็กเล็กตำบล{tambon}", "education")
              for i, tambon in enumerate(tambons[-CHILD_CENTRES:], start=1)]
    clinics = [f"ตำบล{tambon}" for tambon in tambons] + [f"บ้าน{village}" for village in VILLAGES]
    below += [(f"health.clinic{i:03d}", f"โรงพยาบาลส่งเสริมสุขภาพ{place}", "health")
              for i, place in enumerate(clinics[:SECTIONS_TOTAL - len(below)], start=1)]
    for code, name, division in below:
        parent = divisions[division]
        units.append(UnitPlan(len(units) + 1, code, "section", name, parent.id, parent.letter_code))
    return units


def staff_of(unit):
    """(username suffix, role, manager level) of the people of a unit: its heads, clerks and operators."""
    if unit.kind == "organisation":
        heads = [("mayor", "mayor"), ("deputy.mayor", "deputy_mayor"), ("chief", "chief"),
                 ("deputy.chief", "deputy_chief")]
    else:
        heads = [("head", "division_head" if unit.kind == "division" else "section_head")]
    busy = unit.code == BUSY_UNIT
    clerks, operators = (3, 4) if busy else (1, 2 if unit.kind == "division" else 1)
    return ([(suffix, "manager", level) for suffix, level in heads]
            + [(f"clerk{n}", "clerk", None) for n in range(1, clerks + 1)]
            + [(f"officer{n}", "operator", None) for n in range(1, operators + 1)])


class Org:
    """The units with their people and registers, and how busy each is: the central registry has BUSY_WEIGHT
    of the memos' units; the others, ranked k = 1, 2, ..., have weights 1/(k + 2)^zipf, ranking the
    organisation and divisions first, then their ฝ่าย/งาน, then the schools, child centres and รพ.สต. in
    random order."""

    def __init__(self, units, rng, zipf=0.8):
        self.units, self.busy = units, next(unit for unit in units if unit.code == BUSY_UNIT)
        core = 1 + len(DIVISIONS) + sum(len(sections) for _, _, sections in DIVISIONS)
        rest = units[core:]
        rng.shuffle(rest)
        ranked = [unit for unit in units[:core] + rest if unit is not self.busy]
        weights = [1 / (rank + 3) ** zipf for rank in range(len(ranked))]
        ranked.append(self.busy)
        weights.append(sum(weights) * BUSY_WEIGHT / (1 - BUSY_WEIGHT))
        self.ranked, self.cumulative = ranked, list(itertools.accumulate(weights))

    def pick(self, rng):
        return self.ranked[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def pick_others(self, rng, unit, count):
        chosen = []
        while len(chosen) < count:
            other = self.pick(rng)
            if other is not unit and other not in chosen:
                chosen.append(other)
        return chosen


def load_org(loader, rng, password_hash):
    """Units, users with their roles, a receive and a send register per unit, and the demo's categories."""
    units = unit_plans()
    for unit in units:
        loader.add(Unit, dict(id=unit.id, code=unit.code, kind=unit.kind, name_th=unit.name_th, name_en="",
                              letter_code=unit.letter_code, parent_id=unit.parent_id, sort_order=unit.id,
                              is_active=True, created_at=utcnow()))
        for suffix, role, level in staff_of(unit):
            _load_user(loader, rng, unit, suffix, role, level, password_hash)
        unit.receive_register = _load_register(loader, unit, "receive", "ทะเบียนหนังสือรับ")
        unit.send_register = _load_register(loader, unit, "send", "ทะเบียนหนังสือส่ง")
    for order, (name_th, name_en) in enumerate(CATEGORIES):
        loader.add(Category, dict(id=order + 1, name_th=name_th, name_en=name_en, sort_order=order,
                                  is_active=True))
    return Org(units, rng)


def _load_user(loader, rng, unit, suffix, role, level, password_hash):
    user_id = loader.new_id(User)
    name = f"{rng.choice(('นาย', 'นาง', 'นางสาว'))}{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    loader.add(User, dict(
        id=user_id, username=f"{unit.code}.{suffix}", password_hash=password_hash, full_name_th=name,
        full_name_en="", position_title="", email="", unit_id=unit.id, locale="th", is_active=True,
        must_change_password=False, password_changed_at=None, session_version=1, last_login_at=None,
        created_at=utcnow()))
    loader.add(UserRole, dict(id=loader.new_id(UserRole), user_id=user_id, role=role, level=level))
    {"manager": unit.managers, "clerk": unit.clerks, "operator": unit.operators}[role].append(user_id)


def _load_register(loader, unit, code, name_th):
    register_id = loader.new_id(Register)
    loader.add(Register, dict(id=register_id, unit_id=unit.id, code=code, direction=code, name_th=name_th,
                              name_en="", prefix="", document_type_id=None, yearly_reset=True, is_active=True,
                              created_at=utcnow()))
    return register_id


# ---- writing rows fast ------------------------------------------------------------------------------------

class Loader:
    """Rows queued per table and written BATCH at a time as multi-row INSERTs by WRITERS threads, each on its
    own connection, so that the database works while Python makes the next rows. The loading connections
    skip unique and foreign-key checks; ids are given here, so rows can point at each other before they are
    written."""

    def __init__(self, engine, writers=WRITERS):
        self.pending, self.ids, self.counts = defaultdict(list), Counter(), Counter()
        self.queue, self.error = queue.Queue(maxsize=4 * writers), None
        self.threads = [threading.Thread(target=self._write_batches, args=(engine,), daemon=True)
                        for _ in range(writers)]
        for thread in self.threads:
            thread.start()

    def new_id(self, model):
        self.ids[model] += 1
        return self.ids[model]

    def add(self, model, row):
        rows = self.pending[model]
        rows.append(row)
        if len(rows) >= BATCH:
            self._send(model)

    def drain(self):
        """Write everything queued so far and wait for it."""
        for model in list(self.pending):
            self._send(model)
        self.queue.join()
        self._check()

    def close(self):
        self.drain()
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()

    def _send(self, model):
        rows, self.pending[model] = self.pending[model], []
        if rows:
            self.counts[model.__tablename__] += len(rows)
            while not self._put((model.__table__, rows)):
                self._check()

    def _put(self, item):
        try:
            self.queue.put(item, timeout=1)
            return True
        except queue.Full:
            return False

    def _check(self):
        if self.error or not all(thread.is_alive() for thread in self.threads):
            raise RuntimeError("loading failed") from self.error

    def _write_batches(self, engine):
        connection = engine.raw_connection()  # the DB-API connection: our SQL is sent as it is
        try:
            cursor = connection.cursor()
            cursor.execute("SET SESSION unique_checks = 0, foreign_key_checks = 0")
            while (item := self.queue.get()) is not None:
                try:
                    if not self.error:
                        cursor.execute(insert_sql(*item))
                        connection.commit()
                except Exception as error:  # reported to the producing thread
                    self.error = error
                finally:
                    self.queue.task_done()
            self.queue.task_done()
        finally:
            connection.close()


SQL_LITERALS = {
    int: str, float: repr, bool: lambda value: "1" if value else "0", type(None): lambda value: "NULL",
    str: lambda value: f"'{escape_string(value)}'", date: lambda value: f"'{value}'",
    datetime: lambda value: f"'{str(value)[:19]}'",
}


def insert_sql(table, rows):
    """One multi-row INSERT of `rows` (dicts with the same keys). Rendering the values here takes a quarter
    of the Python time of the driver's executemany, which was most of the loading time."""
    columns = list(rows[0])
    values = ",".join("(" + ",".join(SQL_LITERALS[type(row[column])](row[column]) for column in columns) + ")"
                      for row in rows)
    return f"INSERT INTO `{table.name}` (`{'`,`'.join(columns)}`) VALUES {values}"


# ---- ten years of letters -------------------------------------------------------------------------------

MEMO_TYPES = Choice(("internal", 85), ("circular", 6), ("order", 5), ("announcement", 4))
OUTSIDE_TYPES = Choice(("external", 90), ("stamped", 6), ("circular", 4))
OUTSIDE_METHODS = Choice(("post", 35), ("registered_post", 15), ("ems", 10), ("email", 25), ("hand", 15))
RECIPIENT_COUNTS = Choice((1, 60), (2, 25), (3, 15))
RETURNED, RECALLED = 0.02, 0.01
ACT_MINUTES, ACT_SPREAD = 90, 1.6       # working minutes until a clerk registers a delivery (lognormal)
WORK_DAYS, WORK_SPREAD = 4, 1.2         # days until a registered letter's work is closed (lognormal)
OPEN_STEPS = ((0.10, "new"), (0.25, "with_manager"), (0.70, "in_progress"), (0.90, "awaiting_signature"),
              (1.01, "signed"))
TASKS = {  # the ready task of unfinished work: step, title, lane
    "new": ("triage", "พิจารณาส่งต่อภายในหน่วยงาน", "clerk"),
    "with_manager": ("instruct", "สั่งการ (เกษียนหนังสือ)", "manager"),
    "in_progress": ("work", "ปฏิบัติงาน", "operator"),
    "awaiting_signature": ("sign_off", "พิจารณาลงนาม", "manager"),
    "signed": ("finish", "ปิดงานหรือส่งต่อ", "clerk"),
}
DELIVERY_OUTCOME = ("registered_at", "registered_by_id", "register_entry_id", "returned_at", "returned_by_id",
                    "recalled_at", "recalled_by_id", "workflow_instance_id")
RETURN_NOTES = ("ส่งผิดหน่วยงาน", "เอกสารแนบไม่ครบถ้วน", "ไม่อยู่ในอำนาจหน้าที่ของหน่วยงาน")


def utc(local):
    return local - BANGKOK if local is not None else None


def working_minutes_after(start, minutes):
    """`start` plus `minutes` of office time (08:30-16:30, Monday to Friday), local time."""
    at = start
    while True:
        opens = at.replace(hour=OFFICE_OPENS // 60, minute=OFFICE_OPENS % 60, second=0, microsecond=0)
        closes = opens + timedelta(minutes=OFFICE_MINUTES)
        if at.weekday() < 5 and at < closes:
            at = max(at, opens)
            left = (closes - at).total_seconds() / 60
            if minutes <= left:
                return at + timedelta(minutes=minutes)
            minutes -= left
        at = opens + timedelta(days=1)


def letter_times(rng, count, until, growth=0.08):
    """`count` local times in office hours on the working days of the YEARS calendar years up to `until`,
    sorted; each year has `growth` more letters a day than the year before (×1.7 in ten years)."""
    first = date(until.year - YEARS + 1, 1, 1)
    days = [first + timedelta(n) for n in range((until - first).days + 1)]
    days = [day for day in days if day.weekday() < 5]
    cumulative = list(itertools.accumulate(1 + growth * (day.year - first.year) for day in days))
    picks = sorted(rng.choices(range(len(days)), cum_weights=cumulative, k=count))
    opens = timedelta(minutes=OFFICE_OPENS)
    return sorted(datetime.combine(days[i], datetime.min.time()) + opens
                  + timedelta(seconds=rng.randrange(OFFICE_MINUTES * 60)) for i in picks)


@dataclass(slots=True)
class Letter:
    id: int
    owner: UnitPlan
    speed: str
    due_date: date | None
    subject: str


class History:
    """Plays the letters in time order and writes their rows. A delivery's registration is kept in a heap
    until its time comes, so every register number is issued in time order, as the app issues them."""

    def __init__(self, loader, org, rng, until, documents, lists):
        self.loader, self.org, self.rng, self.lists = loader, org, rng, lists
        self.now = datetime.combine(until, datetime.min.time()) + timedelta(hours=16, minutes=30)
        self.writer = SubjectWriter(rng)
        self.rare = set(rng.sample(range(documents), min(RARE_COUNT, documents)))
        self.counters = Counter()   # (register id, year) -> last number issued
        self.arrivals = []          # heap of deliveries still to be registered: (at, delivery id, ...)
        self.stats = Counter()
        self.busy_recent = []       # ids of recent letters that concern the central registry

    def play(self, times):
        for index, at in enumerate(times):
            self._register_arrivals(until=at)
            if self.rng.random() < OUTSIDE_SHARE:
                self._outside_letter(index, at)
            else:
                self._memo(index, at)
        self._register_arrivals(until=self.now)
        for (register_id, year), last in self.counters.items():
            self.loader.add(RegisterCounter, dict(id=self.loader.new_id(RegisterCounter),
                                                  register_id=register_id, year=year, last_number=last))

    def _outside_letter(self, index, at):
        """A letter by post, e-mail or hand, registered at once by the receiving unit's clerk."""
        busy = self.rng.random() < BUSY_SHARE_OF_ARRIVALS
        unit = self.org.busy if busy else self.org.pick(self.rng)
        letter = self._letter(index, at, unit, [unit])
        clerk, sender = self.rng.choice(unit.clerks), self.writer.outside_sender()
        self._number(unit.receive_register, at, letter, clerk, counterpart_text=sender)
        self._document(letter, at, type_code=OUTSIDE_TYPES.pick(self.rng), clerk=clerk,
                       method=OUTSIDE_METHODS.pick(self.rng), doc_number=self.writer.outside_number(),
                       dated=at.date() - timedelta(days=self.rng.randint(1, 10)), from_text=sender,
                       addressed_to="นายกองค์การบริหารส่วนจังหวัดเลย")
        self._work(letter, unit, None, at)

    def _memo(self, index, at):
        """A memo numbered in its unit's send register and sent to 1-3 of our units."""
        owner = self.org.pick(self.rng)
        to_units = self.org.pick_others(self.rng, owner, RECIPIENT_COUNTS.pick(self.rng))
        letter = self._letter(index, at, owner, [owner, *to_units])
        clerk = self.rng.choice(owner.clerks)
        _, number = self._number(owner.send_register, at, letter, clerk,
                                 counterpart_unit_id=to_units[0].id if len(to_units) == 1 else None)
        sent_at = at + timedelta(minutes=self.rng.randint(1, 20))
        addressed_to = f"หัวหน้า{to_units[0].name_th}" if len(to_units) == 1 else "ตามรายชื่อแนบท้าย"
        self._document(letter, at, type_code=MEMO_TYPES.pick(self.rng), clerk=clerk, method="system",
                       doc_number=f"{owner.letter_code}/{number}", dated=at.date(), from_unit_id=owner.id,
                       addressed_to=addressed_to, first_sent_at=utc(sent_at))
        for unit in to_units:
            self.loader.add(DocumentRecipient, dict(id=self.loader.new_id(DocumentRecipient),
                                                    document_id=letter.id, unit_id=unit.id, name_text=""))
            self._deliver(letter, owner, unit, sent_at, clerk)

    def _letter(self, index, at, owner, units):
        rare = index in self.rare
        subject = self.writer.subject(at.date(), rare=rare)
        due = at.date() + timedelta(days=self.rng.choice(DUE_DAYS)) if self.rng.random() < DUE_SHARE else None
        letter = Letter(self.loader.new_id(Document), owner, SPEEDS.pick(self.rng), due, subject)
        self._count(letter, at, any(unit is self.org.busy for unit in units))
        return letter

    def _count(self, letter, at, busy):
        current = at.year == self.now.year
        for word in (COMMON_WORD, RARE_WORD):
            if word in letter.subject:
                self.stats[word] += 1
                self.stats[word, "busy"] += busy
                self.stats[word, "busy", "current year"] += busy and current
        self.stats["busy"] += busy
        self.stats["busy", "current year"] += busy and current
        self.stats["current year"] += current
        if busy and self.now - at < timedelta(days=60):
            self.busy_recent.append(letter.id)

    def _document(self, letter, at, *, type_code, clerk, method, doc_number, dated, addressed_to,
                  from_unit_id=None, from_text="", first_sent_at=None):
        self.loader.add(Document, dict(
            id=letter.id, owner_unit_id=letter.owner.id, type_id=self.lists.types[type_code],
            category_id=self.rng.choice(self.lists.categories), delivery_method_id=self.lists.methods[method],
            doc_number=doc_number, dated=dated, subject=letter.subject, addressed_to=addressed_to,
            from_unit_id=from_unit_id, from_text=from_text, reference="", enclosures="",
            secrecy=SECRECY.pick(self.rng), speed=letter.speed, due_date=letter.due_date, note="",
            created_by_id=clerk, created_at=utc(at), first_sent_at=first_sent_at, deleted_at=None))

    def _number(self, register_id, at, letter, clerk, counterpart_unit_id=None, counterpart_text=""):
        """The register's next number for `at`'s year: an entry and its registration."""
        self.counters[register_id, at.year] += 1
        entry_id, number = self.loader.new_id(RegisterEntry), self.counters[register_id, at.year]
        self.loader.add(RegisterEntry, dict(
            id=entry_id, register_id=register_id, year=at.year, number=number, document_id=letter.id,
            created_at=utc(at), created_by_id=clerk, action_taken="", remark="", cancelled_at=None,
            cancelled_by_id=None, cancel_reason=""))
        self.loader.add(Registration, dict(
            id=self.loader.new_id(Registration), entry_id=entry_id, at=utc(at), by_id=clerk,
            acting_for_id=None, counterpart_unit_id=counterpart_unit_id, counterpart_text=counterpart_text))
        return entry_id, number

    def _deliver(self, letter, from_unit, to_unit, sent_at, sender):
        """The delivery's fate: registered later (queued), returned, recalled, or still waiting now."""
        delivery_id = self.loader.new_id(Delivery)
        minutes = self.rng.lognormvariate(math.log(ACT_MINUTES), ACT_SPREAD)
        acts_at = working_minutes_after(sent_at, minutes)
        fate = self.rng.random()
        row = dict(id=delivery_id, document_id=letter.id, from_unit_id=from_unit.id, to_unit_id=to_unit.id,
                   sent_at=utc(sent_at), sent_by_id=sender)
        if acts_at > self.now:
            read_at = working_minutes_after(sent_at, minutes * 0.3)
            status = "read" if read_at <= self.now else "sent"
            instance_id = self._task(letter, to_unit, "delivery", delivery_id, sent_at,
                                     ("review_delivery", "ลงรับหรือตีกลับ", "clerk"))
            self._delivery(row, to_unit, status, read_at if status == "read" else None,
                           workflow_instance_id=instance_id)
        elif fate < RECALLED:
            self._delivery(row, to_unit, "recalled", None, recalled_at=acts_at, recalled_by_id=sender)
        elif fate < RECALLED + RETURNED:
            clerk = self.rng.choice(to_unit.clerks)
            self._delivery(row, to_unit, "returned", acts_at, returned_at=acts_at, returned_by_id=clerk,
                           return_note=self.rng.choice(RETURN_NOTES))
        else:
            heapq.heappush(self.arrivals, (acts_at, delivery_id, letter, to_unit, row))

    def _register_arrivals(self, until):
        while self.arrivals and self.arrivals[0][0] <= until:
            at, _, letter, to_unit, row = heapq.heappop(self.arrivals)
            clerk = self.rng.choice(to_unit.clerks)
            entry_id, _ = self._number(to_unit.receive_register, at, letter, clerk,
                                       counterpart_unit_id=row["from_unit_id"])
            self._delivery(row, to_unit, "registered", at, registered_at=at, registered_by_id=clerk,
                           register_entry_id=entry_id)
            self._work(letter, to_unit, row["id"], at)

    def _delivery(self, row, to_unit, status, read_at, **outcome):
        """Write a delivery; `outcome` holds the columns its status sets (local times, made UTC here)."""
        outcome = {name: utc(value) if isinstance(value, datetime) else value
                   for name, value in outcome.items()}
        self.loader.add(Delivery, dict(
            row, parent_id=None, status=status, note="", read_at=utc(read_at),
            read_by_id=self.rng.choice(to_unit.clerks) if read_at else None,
            **dict.fromkeys(DELIVERY_OUTCOME), return_note="") | outcome)

    def _work(self, letter, unit, delivery_id, started):
        """The registered letter worked on in `unit`: closed after some days, or now at one of its steps."""
        took = timedelta(days=self.rng.lognormvariate(math.log(WORK_DAYS), WORK_SPREAD))
        row = dict(id=self.loader.new_id(Handling), kind="incoming", document_id=letter.id, unit_id=unit.id,
                   delivery_id=delivery_id, started_by_id=self.rng.choice(unit.clerks),
                   started_at=utc(started), proposed_by_id=None)
        if started + took <= self.now:
            self._closed_work(row, unit, started, took)
        else:
            self._open_work(row, letter, unit, (self.now - started) / took, started)
        self.loader.add(Handling, row)
        if row["responsible_id"]:
            self.loader.add(DocumentOperator, dict(
                id=self.loader.new_id(DocumentOperator), document_id=letter.id, user_id=row["responsible_id"],
                assigned_at=utc(started + took * 0.2), assigned_by_id=unit.managers[0]))

    def _closed_work(self, row, unit, started, took):
        signed = self.rng.random() < 0.5
        row.update(status="closed", reviewer_id=None, workflow_instance_id=None,
                   responsible_id=self.rng.choice(unit.operators) if self.rng.random() < 0.8 else None,
                   signed_by_id=unit.managers[0] if signed else None,
                   signed_at=utc(started + took * 0.8) if signed else None,
                   finished_at=utc(started + took), finished_by_id=row["started_by_id"])

    def _open_work(self, row, letter, unit, done, started):
        """Unfinished work at the step its progress `done` (0-1) has reached, with that step's task."""
        status = next(step for limit, step in OPEN_STEPS if done < limit)
        at_work = status in ("in_progress", "awaiting_signature", "signed")
        responsible = self.rng.choice(unit.operators) if at_work else None
        reviewer = unit.managers[0] if status == "awaiting_signature" else None
        assignee = responsible if status == "in_progress" else reviewer
        instance_id = self._task(letter, unit, "handling", row["id"], started + (self.now - started) * 0.8,
                                 TASKS[status], assignee)
        signed = status == "signed"
        row.update(status=status, responsible_id=responsible, reviewer_id=reviewer,
                   workflow_instance_id=instance_id, signed_by_id=unit.managers[0] if signed else None,
                   signed_at=utc(self.now) if signed else None, finished_at=None, finished_by_id=None)
        self.stats["open work"] += 1

    def _task(self, letter, unit, subject_type, subject_id, at, step, assignee=None):
        """A running workflow instance with its one ready task: what task lists and the dashboard read."""
        instance_id = self.loader.new_id(WorkflowInstance)
        self.loader.add(WorkflowInstance, dict(
            id=instance_id, definition_id=self.lists.flows[subject_type], subject_type=subject_type,
            subject_id=subject_id, unit_id=unit.id, state="", status="running", next_timer_at=None,
            created_at=utc(at), updated_at=utc(at)))
        spec_name, title, lane = step
        self.loader.add(WorkflowTask, dict(
            id=self.loader.new_id(WorkflowTask), instance_id=instance_id,
            task_guid=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), spec_name=spec_name,
            kind=SHIPPED_TASK_KINDS[spec_name].value, title=title, lane=lane, unit_id=unit.id, assignee_id=assignee, document_id=letter.id,
            speed=letter.speed, state="ready", created_at=utc(at), completed_at=None, completed_by_id=None))
        self.stats["open tasks"] += 1
        self.stats["open tasks", "busy"] += unit is self.org.busy
        return instance_id

    def follow(self, count_clerk=40, count_manager=25):
        """The central registry's first clerk and its head follow some of its recent letters."""
        busy = self.org.busy
        for user_id, count in ((busy.clerks[0], count_clerk), (busy.managers[0], count_manager)):
            for document_id in self.busy_recent[-count:]:
                self.loader.add(Follow, dict(id=self.loader.new_id(Follow), user_id=user_id,
                                             document_id=document_id, created_at=utc(self.now)))


# ---- the whole run ----------------------------------------------------------------------------------------

@dataclass
class Lists:
    """Ids of the reference rows letters point at."""
    types: dict
    methods: dict
    categories: list
    flows: dict


def reference_lists():
    flows = {key: definitions.publish(key).id for key in ("delivery", "handling")}
    db.session.commit()
    return Lists(types=dict(db.session.execute(select(DocumentType.code, DocumentType.id)).all()),
                 methods=dict(db.session.execute(select(DeliveryMethod.code, DeliveryMethod.id)).all()),
                 categories=[None, None, *range(1, len(CATEGORIES) + 1)], flows=flows)


class Phases:
    """Wall time of each phase of the generation, printed as it ends."""

    def __init__(self, report):
        self.report, self.seconds = report, {}

    @contextmanager
    def __call__(self, name):
        began = time.perf_counter()
        yield
        seconds = self.seconds[name] = time.perf_counter() - began
        self.report(f"  {name}: {seconds:.1f} s")


def database_url(url=None):
    """The benchmark database on the server BENCH_DATABASE_URL names (scripts/bench-mariadb.sh env)."""
    url = url or os.environ.get("BENCH_DATABASE_URL")
    if not url:
        raise SystemExit('BENCH_DATABASE_URL is not set: scripts/bench-mariadb.sh start && '
                         'eval "$(scripts/bench-mariadb.sh env)"')
    return make_url(url).set(database=DATABASE).render_as_string(hide_password=False)


def bench_app(url):
    return create_app(environ=app_environ(url, LOG_LEVEL="WARNING"))


def generate(url, *, documents, seed, until, report=print):
    """Make the database at `url` afresh with `documents` letters up to `until`; returns the app."""
    rng, phases = random.Random(seed), Phases(report)
    report(f"Generating {documents:,} documents up to {until} (seed {seed}) in {make_url(url).database}")
    with phases("schema"):
        recreate_database(url)
        app = bench_app(url)
        build_schema(app)
    with app.app_context():
        loader = Loader(db.engine)
        with phases("organisation"):
            org = load_org(loader, rng, passwords.hash_password(f"bench-{rng.random()}"))
            loader.drain()
        with phases("base tables"):
            history = History(loader, org, rng, until, documents, reference_lists())
            history.play(letter_times(rng, documents, until))
            history.follow()
            loader.close()
        with phases("search tables"):
            indexed = rebuild_search(report)
        with phases("analyze"):
            analyze()
        describe(org, history, documents, seed, until, indexed)
        summarise(report, loader.counts, history, phases)
    return app


def analyze():
    tables = db.session.execute(text("SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = DATABASE()")).scalars().all()
    db.session.execute(text("ANALYZE TABLE " + ", ".join(f"`{name}`" for name in tables))).all()


def rebuild_search(report):
    """Fill the search tables from the base tables with the app's own rebuild (`flask search rebuild`)."""
    try:
        from app.search.services import rebuild_all
    except ImportError:
        report("  app.search.services.rebuild_all does not exist yet: search tables not filled")
        return False
    shown = [time.perf_counter()]

    def progress(done):
        if time.perf_counter() - shown[0] > 30:
            shown[0] = time.perf_counter()
            report(f"    search rows of {done:,} documents")

    rebuild_all(current_app.config["BABEL_DEFAULT_TIMEZONE"], progress=progress)
    db.session.commit()
    return True


def describe(org, history, documents, seed, until, indexed):
    """What search.py needs to know about the data set, in a table of its own."""
    busy = org.busy
    values = dict(documents=documents, seed=seed, until=until.isoformat(), common_word=COMMON_WORD,
                  rare_word=RARE_WORD, busy_unit_id=busy.id, busy_clerk_id=busy.clerks[0],
                  busy_manager_id=busy.managers[0], search_indexed=int(indexed),
                  generated_at=utcnow().isoformat())
    values |= {"count:" + (key if isinstance(key, str) else ":".join(key)): count
               for key, count in history.stats.items()}
    db.session.execute(text("CREATE TABLE bench_dataset (name VARCHAR(100) PRIMARY KEY, value VARCHAR(200))"))
    db.session.execute(text("INSERT INTO bench_dataset VALUES (:name, :value)"),
                       [{"name": name, "value": str(value)} for name, value in values.items()])
    db.session.commit()


def dataset(connection_or_session):
    """The description `describe` saved, or None when the database has no complete data set."""
    try:
        rows = connection_or_session.execute(text("SELECT name, value FROM bench_dataset")).all()
    except Exception:  # no database or no table: nothing generated yet
        return None
    return dict(rows)


def table_sizes():
    """(table, rows, data MiB, index MiB) largest first; rows are InnoDB's estimate."""
    return db.session.execute(text(
        "SELECT table_name, table_rows, data_length / 1048576, index_length / 1048576 "
        "FROM information_schema.tables WHERE table_schema = DATABASE() AND data_length > 65536 "
        "ORDER BY data_length + index_length DESC")).all()


def print_sizes(report=print):
    report(f"  {'table':<24}{'rows (est.)':>14}{'data MiB':>10}{'index MiB':>11}")
    for name, rows, data, index in table_sizes():
        report(f"  {name:<24}{rows:>14,}{data:>10,.0f}{index:>11,.0f}")


def summarise(report, counts, history, phases):
    stats, total = history.stats, counts["document"]
    report(f"Generated in {sum(phases.seconds.values()):.0f} s; rows written: "
           + ", ".join(f"{name} {count:,}" for name, count in counts.most_common()))
    report(f"  central registry concerned by {stats['busy']:,} documents ({stats['busy'] / total:.1%}), "
           f"{stats['busy', 'current year']:,} of them this year")
    for word in (COMMON_WORD, RARE_WORD):
        report(f"  '{word}' in {stats[word]:,} subjects ({100 * stats[word] / total:.2g}%); "
               f"{stats[word, 'busy']:,} concern the central registry, "
               f"{stats[word, 'busy', 'current year']:,} of them this year")
    report(f"  open tasks {stats['open tasks']:,} ({stats['open tasks', 'busy']:,} in the central registry), "
           f"unfinished work {stats['open work']:,}")
    print_sizes(report)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--until", type=date.fromisoformat, default=date.today(),
                        help="the last day of the ten years (default today)")
    args = parser.parse_args()
    generate(database_url(), documents=args.documents, seed=args.seed, until=args.until)


if __name__ == "__main__":
    main()

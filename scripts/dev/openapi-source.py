import json, yaml, collections
actions = [
 ("check-completeness","checkCompleteness","Confirm the intake is complete, or ask the customer for what is missing (信息完整性校验)",
   {"complete":{"type":"boolean"},"missing":{"type":"array","items":{"type":"string","maxLength":200},"maxItems":20},"note":{"type":"string","maxLength":5000}},["complete"]),
 ("provide-information","provideInformation","Record the missing information the customer supplied",
   {"note":{"type":"string","maxLength":20000},"attachmentIds":{"type":"array","items":{"type":"string"},"maxItems":20}},[]),
 ("decide-validity","decideValidity","Judge whether the complaint is valid; an invalid one is closed with the reason",
   {"valid":{"type":"boolean"},"reason":{"type":"string","maxLength":5000}},["valid"]),
 ("answer-request","answerRequest","Answer an inquiry, help request, suggestion or venting directly and close it",
   {"answer":{"type":"string","maxLength":20000}},["answer"]),
 ("assign","assign","Classify and assign: category, priority, severity, department and owner",
   {"category":{"type":"string","maxLength":100},"subcategory":{"type":"string","maxLength":100},"kind":{"$ref":"#/components/schemas/ComplaintKind"},
    "priority":{"$ref":"#/components/schemas/Priority"},"severity":{"$ref":"#/components/schemas/Severity"},
    "department":{"type":"string","maxLength":100},"owner":{"type":"string","maxLength":100},"handler":{"type":"string","maxLength":100}},
   ["category","priority","severity","department","owner"]),
 ("reassign","reassign","Change the department, owner or handler",
   {"department":{"type":"string","maxLength":100},"owner":{"type":"string","maxLength":100},"handler":{"type":"string","maxLength":100},"reason":{"type":"string","maxLength":5000}},["reason"]),
 ("reclassify","reclassify","Change the category, priority or severity",
   {"category":{"type":"string","maxLength":100},"subcategory":{"type":"string","maxLength":100},"priority":{"$ref":"#/components/schemas/Priority"},
    "severity":{"$ref":"#/components/schemas/Severity"},"reason":{"type":"string","maxLength":5000}},["reason"]),
 ("record-contact","recordContact","Record an attempt to reach the customer and its outcome",
   {"outcome":{"$ref":"#/components/schemas/ContactOutcome"},"note":{"type":"string","maxLength":5000}},["outcome"]),
 ("submit-analysis","submitAnalysis","Submit the analysis report (问题分析报告)",
   {"problemType":{"type":"string","maxLength":200},"rootCause":{"$ref":"#/components/schemas/RootCause"},"technical":{"type":"boolean"},
    "findings":{"type":"string","maxLength":20000},"suggestedSolution":{"type":"string","maxLength":20000}},["problemType","rootCause","findings"]),
 ("propose-solution","proposeSolution","Propose a solution; compensation beyond the proposer's authority goes to approval",
   {"types":{"type":"array","items":{"$ref":"#/components/schemas/SolutionType"},"minItems":1,"maxItems":9},"description":{"type":"string","maxLength":20000},
    "compensation":{"$ref":"#/components/schemas/Money"}},["types","description"]),
 ("decide-approval","decideApproval","Approve or reject a proposal waiting for approval",
   {"approved":{"type":"boolean"},"comment":{"type":"string","maxLength":5000}},["approved"]),
 ("respond-to-proposal","respondToProposal","Record the customer's answer to the proposal",
   {"accepted":{"type":"boolean"},"comment":{"type":"string","maxLength":5000}},["accepted"]),
 ("record-progress","recordProgress","Record execution progress with evidence",
   {"note":{"type":"string","maxLength":20000},"workFinished":{"type":"boolean"},"evidenceIds":{"type":"array","items":{"type":"string"},"maxItems":20}},[]),
 ("return-result","returnResult","The department returns its result to the owner",
   {"summary":{"type":"string","maxLength":20000},"attachmentIds":{"type":"array","items":{"type":"string"},"maxItems":20}},["summary"]),
 ("verify","verify","Record the customer's verification: solved, satisfied, score 1–5",
   {"solved":{"type":"boolean"},"satisfied":{"type":"boolean"},"score":{"type":"integer","minimum":1,"maximum":5},"note":{"type":"string","maxLength":5000}},["solved","satisfied"]),
 ("record-return-visit","recordReturnVisit","Record the return visit (回访)",
   {"notes":{"type":"string","maxLength":20000}},["notes"]),
 ("close","close","Countersign and close",
   {"note":{"type":"string","maxLength":5000}},[]),
 ("reopen","reopen","Reopen a closed complaint within the reopen window",
   {"reason":{"type":"string","maxLength":5000}},["reason"]),
 ("request-delay","requestDelay","File a delay request (延期申请)",
   {"reason":{"type":"string","maxLength":5000},"until":{"type":"string","format":"date-time"}},["reason","until"]),
 ("decide-delay","decideDelay","Approve or reject the pending delay request",
   {"approved":{"type":"boolean"},"comment":{"type":"string","maxLength":5000}},["approved"]),
 ("add-note","addNote","Add a note; internal notes are hidden from customers and recused staff",
   {"text":{"type":"string","maxLength":20000},"internal":{"type":"boolean"}},["text"]),
 ("link-incident","linkIncident","Link the complaint to a mass incident (群诉)",
   {"incident":{"type":"string","maxLength":100}},["incident"]),
 ("write-case","writeCase","Write the case up for the case library (案例库)",
   {"cause":{"type":"string","maxLength":20000},"handling":{"type":"string","maxLength":20000},"lesson":{"type":"string","maxLength":20000},"prevention":{"type":"string","maxLength":20000}},["cause","handling","lesson"]),
 ("archive","archive","Archive a closed complaint",
   {"note":{"type":"string","maxLength":5000}},[]),
]
err_all = {c: {"$ref": f"#/components/responses/{n}"} for c,n in [("400","BadRequest"),("401","Unauthorized"),("403","Forbidden"),("404","NotFound"),("409","Conflict"),("413","TooLarge"),("415","UnsupportedMediaType"),("422","Unprocessable"),("429","TooManyRequests")]}
def errs(*codes):
    return {c: err_all[c] for c in codes}
O = collections.OrderedDict
doc = {
 "openapi":"3.1.0",
 "info":{"title":"Closeloop API","version":"1.0.0","description":"Complaint handling from intake to a verified, closed loop. Staff authenticate with a bearer token from `POST /api/v1/auth/tokens`. Errors are problem details (`application/problem+json`) with a stable `code`."},
 "servers":[{"url":"/api/v1"}],
 "security":[{"bearer":[]}],
 "tags":[{"name":"complaints"},{"name":"actions"},{"name":"customers"},{"name":"staff"},{"name":"meta"}],
 "paths":{},
 "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}},"schemas":{},"responses":{},"parameters":{}},
}
P = doc["paths"]; S = doc["components"]["schemas"]; R = doc["components"]["responses"]
def problem_resp(desc):
    return {"description":desc,"content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}
for n,d in [("BadRequest","The request is malformed"),("Unauthorized","No valid bearer token"),("Forbidden","The caller's roles do not allow this, or the caller is recused"),("NotFound","No such resource"),("Conflict","The complaint changed since it was read, or the action does not apply in its state"),("TooLarge","The body is too large"),("UnsupportedMediaType","The body's content type is not accepted"),("Unprocessable","Fields failed validation; every failing field is listed"),("TooManyRequests","Too many failed attempts; wait before trying again")]:
    R[n]=problem_resp(d)
def ref(n): return {"$ref":f"#/components/schemas/{n}"}
def json_body(schema, required=True):
    return {"required":required,"content":{"application/json":{"schema":schema}}}
def json_resp(desc, schema):
    return {"description":desc,"content":{"application/json":{"schema":schema}}}
S["Problem"]={"type":"object","required":["type","title","status","code","detail"],"properties":{
  "type":{"type":"string"},"title":{"type":"string"},"status":{"type":"integer"},"code":{"type":"string","description":"Stable machine-readable code, e.g. `proposal.over_authority`"},
  "detail":{"type":"string","description":"A message for people, in the language of Accept-Language"},
  "errors":{"type":"array","items":ref("FieldError")},"currentVersion":{"type":"integer"}}}
S["FieldError"]={"type":"object","required":["field","code","message"],"properties":{"field":{"type":"string"},"code":{"type":"string"},"message":{"type":"string"}}}
S["Channel"]={"type":"string","enum":["web","phone","email","api","im","letter","suggestion_box","walk_in","internal"]}
S["ComplaintKind"]={"type":"string","enum":["complaint","inquiry","help","suggestion","venting"]}
S["Priority"]={"type":"string","enum":["P0","P1","P2"]}
S["Severity"]={"type":"string","enum":["dissatisfied","very_dissatisfied","major","crisis"]}
S["Remedy"]={"type":"string","enum":["apology","repair","replacement","refund","compensation","explanation"]}
S["SolutionType"]={"type":"string","enum":["apology","explanation","repair","replacement","refund","discount","compensation","rescheduled_service","process_change"]}
S["RootCause"]={"type":"string","enum":["software_defect","hardware_fault","misuse","staff_behaviour","process_gap","supplier","logistics","other"]}
S["ContactOutcome"]={"type":"string","enum":["reached","no_answer","wrong_number","message_left"]}
S["ComplaintState"]={"type":"string","enum":["received","awaiting_information","validated","investigating","awaiting_approval","proposed","executing","verifying","return_visit","awaiting_countersign","closed","archived"]}
S["Resolution"]={"type":"string","enum":["resolved","invalid","answered"]}
S["Role"]={"type":"string","enum":["agent","supervisor","handler","department_manager","vice_president","general_manager","quality","administrator"]}
S["ClockKind"]={"type":"string","enum":["completeness","first_response","first_contact","customer_update","approval","department_result","resolution","verification","return_visit","request_answer"]}
S["ClockCondition"]={"type":"string","enum":["running","paused","overdue","met","missed"]}
S["ActionName"]={"type":"string","enum":[a[1] and a[0].replace('-','_') for a in actions]}
S["Money"]={"type":"string","pattern":"^[0-9]{1,12}(\\.[0-9]{1,2})?$","description":"An amount in yuan with at most two decimals, e.g. \"1200.50\"","examples":["1200.50"]}
S["Customer"]={"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1,"maxLength":100},"phone":{"type":"string","maxLength":40},"email":{"type":"string","maxLength":254},"customerId":{"type":"string","maxLength":100}}}
S["NewComplaint"]={"type":"object","required":["channel","customer","subject","description"],"properties":{
  "channel":ref("Channel"),"kind":ref("ComplaintKind"),"customer":ref("Customer"),
  "reference":{"type":"string","maxLength":100,"description":"Order, contract, vehicle or unit reference"},"product":{"type":"string","maxLength":200},
  "subject":{"type":"string","minLength":1,"maxLength":200},"description":{"type":"string","minLength":1,"maxLength":20000},
  "transcript":{"type":"string","maxLength":100000,"description":"Voice-to-text transcript of a phone call"},
  "complainedAboutUser":{"type":"string","maxLength":100,"description":"The employee complained about; they are recused"},
  "complainedAboutDepartment":{"type":"string","maxLength":100},
  "remedies":{"type":"array","items":ref("Remedy"),"maxItems":6},"priority":ref("Priority"),"severity":ref("Severity"),
  "receivedAt":{"type":"string","format":"date-time","description":"When the complaint was received, if earlier than now (letters, imports)"},
  "attachmentIds":{"type":"array","items":{"type":"string"},"maxItems":20,"description":"Ids from POST /attachments"}}}
S["Attachment"]={"type":"object","required":["id","fileName","contentType","size","sha256"],"properties":{"id":{"type":"string"},"fileName":{"type":"string"},"contentType":{"type":"string"},"size":{"type":"integer"},"sha256":{"type":"string"}}}
S["Clock"]={"type":"object","required":["clock","limit","basis","startedAt","condition"],"properties":{"clock":ref("ClockKind"),"limit":{"type":"string","description":"e.g. 30m, 4h, 5d, eod, @17:00"},"basis":{"type":"string","enum":["calendar","working"]},"startedAt":{"type":"string","format":"date-time"},"dueAt":{"type":"string","format":"date-time"},"stoppedAt":{"type":"string","format":"date-time"},"condition":ref("ClockCondition")}}
S["Analysis"]={"type":"object","required":["problemType","rootCause","technical","findings","suggestedSolution"],"properties":{"problemType":{"type":"string"},"rootCause":ref("RootCause"),"technical":{"type":"boolean"},"findings":{"type":"string"},"suggestedSolution":{"type":"string"}}}
S["Proposal"]={"type":"object","required":["types","description"],"properties":{"types":{"type":"array","items":ref("SolutionType")},"description":{"type":"string"},"compensation":ref("Money"),"requiredApprover":ref("Role")}}
S["DelayRequest"]={"type":"object","required":["reason","until"],"properties":{"reason":{"type":"string"},"until":{"type":"string","format":"date-time"}}}
S["Complaint"]={"type":"object","required":["id","number","state","kind","channel","priority","severity","receivedAt","updatedAt","version","customer","subject","description","remedies","attachments","contactAttempts","reopenCount","clocks","availableActions","personalDataMasked"],"properties":{
  "id":{"type":"string"},"number":{"type":"string"},"state":ref("ComplaintState"),"resolution":ref("Resolution"),"kind":ref("ComplaintKind"),"channel":ref("Channel"),
  "priority":ref("Priority"),"severity":ref("Severity"),"category":{"type":"string"},"subcategory":{"type":"string"},"department":{"type":"string"},"owner":{"type":"string"},"handler":{"type":"string"},
  "receivedAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"},"closedAt":{"type":"string","format":"date-time"},"version":{"type":"integer"},
  "customer":ref("Customer"),"personalDataMasked":{"type":"boolean","description":"Phone and email are masked in lists and for roles that do not need them; a complaint read or changed by a role that needs them shows them in full, and that view is logged"},
  "reference":{"type":"string"},"product":{"type":"string"},"subject":{"type":"string"},"description":{"type":"string"},"transcript":{"type":"string"},
  "complainedAboutUser":{"type":"string"},"complainedAboutDepartment":{"type":"string"},"remedies":{"type":"array","items":ref("Remedy")},"attachments":{"type":"array","items":ref("Attachment")},
  "analysis":ref("Analysis"),"proposal":ref("Proposal"),"satisfaction":{"type":"integer"},"contactAttempts":{"type":"integer"},"reopenCount":{"type":"integer"},
  "incident":{"type":"string"},"pendingDelay":ref("DelayRequest"),"clocks":{"type":"array","items":ref("Clock")},"nextDueAt":{"type":"string","format":"date-time"},
  "availableActions":{"type":"array","items":ref("ActionName"),"description":"What the caller may do now"}}}
S["ComplaintList"]={"type":"object","required":["items"],"properties":{"items":{"type":"array","items":ref("Complaint")},"nextCursor":{"type":"string"}}}
S["Actor"]={"type":"object","required":["kind","name"],"properties":{"kind":{"type":"string","enum":["staff","customer","system"]},"userId":{"type":"string"},"name":{"type":"string"}}}
S["HistoryEvent"]={"type":"object","required":["sequence","at","actor","type","data"],"properties":{"sequence":{"type":"integer"},"at":{"type":"string","format":"date-time"},"actor":ref("Actor"),"type":{"type":"string"},"data":{"type":"object","additionalProperties":True}}}
S["History"]={"type":"object","required":["events"],"properties":{"events":{"type":"array","items":ref("HistoryEvent")}}}
S["TokenRequest"]={"type":"object","required":["username","password"],"properties":{"username":{"type":"string","maxLength":100},"password":{"type":"string","maxLength":200},"name":{"type":"string","maxLength":100}}}
S["Token"]={"type":"object","required":["token","expiresAt"],"properties":{"token":{"type":"string"},"expiresAt":{"type":"string","format":"date-time"}}}
S["RoleGrant"]={"type":"object","required":["role"],"properties":{"role":ref("Role"),"department":{"type":"string"}}}
S["User"]={"type":"object","required":["id","username","displayName","grants","language","active"],"properties":{"id":{"type":"string"},"username":{"type":"string"},"displayName":{"type":"string"},"department":{"type":"string"},"grants":{"type":"array","items":ref("RoleGrant")},"language":{"type":"string","enum":["zh-Hans","en"]},"active":{"type":"boolean"}}}
S["UserList"]={"type":"object","required":["items"],"properties":{"items":{"type":"array","items":ref("User")}}}
S["Department"]={"type":"object","required":["id","nameZh","nameEn"],"properties":{"id":{"type":"string"},"nameZh":{"type":"string"},"nameEn":{"type":"string"}}}
S["DepartmentList"]={"type":"object","required":["items"],"properties":{"items":{"type":"array","items":ref("Department")}}}
S["TrackRequest"]={"type":"object","required":["number","phone"],"properties":{"number":{"type":"string","maxLength":40},"phone":{"type":"string","maxLength":40}}}
S["TrackedStep"]={"type":"object","required":["at","text"],"properties":{"at":{"type":"string","format":"date-time"},"text":{"type":"string"}}}
S["TrackedComplaint"]={"type":"object","required":["number","state","stateText","receivedAt","subject","steps","canRespondToProposal","canConfirmResult"],"properties":{
  "number":{"type":"string"},"state":ref("ComplaintState"),"stateText":{"type":"string","description":"The state in plain words, in the language of Accept-Language"},
  "receivedAt":{"type":"string","format":"date-time"},"subject":{"type":"string"},"steps":{"type":"array","items":ref("TrackedStep")},
  "proposal":{"type":"string","description":"The proposed solution, when one waits for the customer's answer"},"compensation":ref("Money"),
  "canRespondToProposal":{"type":"boolean"},"canConfirmResult":{"type":"boolean"},"satisfaction":{"type":"integer"}}}
S["CustomerResponse"]={"type":"object","required":["number","phone","accepted"],"properties":{"number":{"type":"string","maxLength":40},"phone":{"type":"string","maxLength":40},"accepted":{"type":"boolean"},"comment":{"type":"string","maxLength":5000}}}
S["CustomerConfirmation"]={"type":"object","required":["number","phone","solved","satisfied"],"properties":{"number":{"type":"string","maxLength":40},"phone":{"type":"string","maxLength":40},"solved":{"type":"boolean"},"satisfied":{"type":"boolean"},"score":{"type":"integer","minimum":1,"maximum":5},"comment":{"type":"string","maxLength":5000}}}
S["Health"]={"type":"object","required":["status","database"],"properties":{"status":{"type":"string","enum":["ok"]},"database":{"type":"string","enum":["sqlite","postgres"]}}}

idp = {"name":"id","in":"path","required":True,"description":"The complaint's id or number","schema":{"type":"string","maxLength":100}}
P["/health"]={"get":{"operationId":"getHealth","tags":["meta"],"summary":"Liveness and the database in use","security":[],"responses":{"200":json_resp("Up",ref("Health"))}}}
P["/auth/tokens"]={"post":{"operationId":"createToken","tags":["staff"],"summary":"Exchange a username and password for a bearer token","security":[],
   "requestBody":json_body(ref("TokenRequest")),"responses":{"201":json_resp("A new token; shown once",ref("Token")),**errs("400","401","413","415","422","429")}}}
P["/me"]={"get":{"operationId":"getMe","tags":["staff"],"summary":"The signed-in staff member","responses":{"200":json_resp("The caller",ref("User")),**errs("401")}}}
P["/users"]={"get":{"operationId":"listUsers","tags":["staff"],"summary":"Every staff member (administrators)","responses":{"200":json_resp("Users",ref("UserList")),**errs("401","403")}}}
P["/departments"]={"get":{"operationId":"listDepartments","tags":["meta"],"summary":"Departments complaints can be assigned to","responses":{"200":json_resp("Departments",ref("DepartmentList")),**errs("401")}}}
list_params=[
 ("state","Only these states",{"type":"array","items":ref("ComplaintState")}),
 ("priority","Only these priorities",{"type":"array","items":ref("Priority")}),
 ("severity","Only these severities",{"type":"array","items":ref("Severity")}),
 ("kind","Only these kinds",{"type":"array","items":ref("ComplaintKind")}),
 ("department","Assigned to this department",{"type":"string","maxLength":100}),
 ("owner","Owned by this user id",{"type":"string","maxLength":100}),
 ("overdue","Only complaints with a deadline already past",{"type":"boolean"}),
 ("q","Full-text terms over subject and description (Chinese or English); all must match",{"type":"string","maxLength":200}),
 ("receivedFrom","Received at or after",{"type":"string","format":"date-time"}),
 ("receivedBefore","Received before",{"type":"string","format":"date-time"}),
 ("customerPhone","The customer's phone, however formatted",{"type":"string","maxLength":40}),
 ("sort","received (newest first) or due (nearest deadline first)",{"type":"string","enum":["received","due"]}),
 ("limit","Page size, 1–200",{"type":"integer","minimum":1,"maximum":200}),
 ("cursor","From the previous page's nextCursor",{"type":"string","maxLength":500}),
]
params=[]
for n,d,s in list_params:
    p={"name":n,"in":"query","required":False,"description":d,"schema":s}
    if s.get("type")=="array": p["style"]="form"; p["explode"]=True
    params.append(p)
P["/complaints"]={
 "get":{"operationId":"listComplaints","tags":["complaints"],"summary":"List and filter complaints, with cursor pagination","parameters":params,
   "responses":{"200":json_resp("A page of complaints",ref("ComplaintList")),**errs("400","401","403")}},
 "post":{"operationId":"createComplaint","tags":["complaints"],"summary":"Record a new complaint (intake)",
   "parameters":[{"name":"Idempotency-Key","in":"header","required":False,"description":"Retrying with the same key returns the first result","schema":{"type":"string","maxLength":200}}],
   "requestBody":json_body(ref("NewComplaint")),
   "responses":{"201":json_resp("Created",ref("Complaint")),"200":json_resp("Replayed: the complaint created earlier with this idempotency key",ref("Complaint")),**errs("400","401","403","409","413","415","422")}}}
P["/complaints/{id}"]={"get":{"operationId":"getComplaint","tags":["complaints"],"summary":"One complaint with its clocks and the actions the caller may take","parameters":[idp],
   "responses":{"200":json_resp("The complaint",ref("Complaint")),**errs("400","401","403","404")}}}
P["/complaints/{id}/history"]={"get":{"operationId":"getHistory","tags":["complaints"],"summary":"The complaint's append-only history","parameters":[idp],
   "responses":{"200":json_resp("Events, oldest first",ref("History")),**errs("400","401","403","404")}}}
for path,name,summary,props,req in actions:
    schema_name = name[0].upper()+name[1:]+"Request"
    props = dict(props); props = {"version":{"type":"integer","minimum":1,"description":"The complaint version the caller read; a stale version is refused with 409"}, **props}
    S[schema_name]={"type":"object","required":["version"]+req,"properties":props}
    P[f"/complaints/{{id}}/{path}"]={"post":{"operationId":name,"tags":["actions"],"summary":summary,"parameters":[idp],"requestBody":json_body(ref(schema_name)),
       "responses":{"200":json_resp("The complaint after the action",ref("Complaint")),**errs("400","401","403","404","409","413","415","422")}}}
P["/attachments"]={"post":{"operationId":"uploadAttachment","tags":["complaints"],"summary":"Upload a file to attach to a complaint or an action",
  "parameters":[{"name":"fileName","in":"query","required":True,"schema":{"type":"string","minLength":1,"maxLength":200}},{"name":"contentType","in":"query","required":False,"schema":{"type":"string","maxLength":100}}],
  "requestBody":{"required":True,"content":{"application/octet-stream":{"schema":{"type":"string","contentMediaType":"application/octet-stream"}}}},
  "responses":{"201":json_resp("Stored",ref("Attachment")),**errs("400","401","403","413","415","422")}}}
P["/attachments/{attachmentId}"]={"get":{"operationId":"downloadAttachment","tags":["complaints"],"summary":"Download an attachment",
  "parameters":[{"name":"attachmentId","in":"path","required":True,"schema":{"type":"string","maxLength":100}}],
  "responses":{"200":{"description":"The file","content":{"application/octet-stream":{"schema":{"type":"string","contentMediaType":"application/octet-stream"}}}},**errs("400","401","403","404")}}}
P["/track"]={"post":{"operationId":"trackComplaint","tags":["customers"],"summary":"A customer follows their complaint by number and phone","security":[],
  "requestBody":json_body(ref("TrackRequest")),"responses":{"200":json_resp("Progress in plain words",ref("TrackedComplaint")),**errs("400","404","413","415","422")}}}
P["/track/respond"]={"post":{"operationId":"respondAsCustomer","tags":["customers"],"summary":"The customer accepts or rejects the proposed solution","security":[],
  "requestBody":json_body(ref("CustomerResponse")),"responses":{"200":json_resp("Progress after the answer",ref("TrackedComplaint")),**errs("400","404","409","413","415","422")}}}
P["/track/confirm"]={"post":{"operationId":"confirmAsCustomer","tags":["customers"],"summary":"The customer confirms the result and rates it 1–5","security":[],
  "requestBody":json_body(ref("CustomerConfirmation")),"responses":{"200":json_resp("Progress after the confirmation",ref("TrackedComplaint")),**errs("400","404","409","413","415","422")}}}

class D(yaml.SafeDumper): pass
def str_presenter(dumper, data):
    return dumper.represent_scalar('tag:yaml.org,2002:str', data)
D.add_representer(str, str_presenter)
out = yaml.dump(doc, Dumper=D, sort_keys=False, allow_unicode=True, width=120)
open('/work/main/Sources/CloseloopAPI/openapi.yaml','w').write(out)
print(len(out.splitlines()))

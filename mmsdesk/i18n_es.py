"""The Spanish catalogue of :mod:`mmsdesk.i18n`: our own plain-language wording, keyed by the
English text. Medication names and the pharmacist's own notes are not translated."""

from __future__ import annotations

CATALOG_ES: dict[str, str] = {
    # running text on every page
    "Page {page} of {total}": "Página {page} de {total}",
    "DOB:": "Fecha de nacimiento:",
    "Date prepared:": "Fecha de preparación:",
    "Prepared on:": "Preparado el:",
    "MMS Desk knowledge base": "base de conocimientos de MMS Desk",
    "Phone": "Teléfono",
    "Fax": "Fax",
    "for": "de",
    # Personal Medication List
    "Personal Medication List": "Lista personal de medicamentos",
    "Phone:": "Teléfono:",
    "Emergency contact:": "Contacto de emergencia:",
    "Primary care provider:": "Médico de cabecera:",
    "Pharmacies:": "Farmacias:",
    "Date last reviewed:": "Última revisión:",
    "Keep this list up to date: prescription and over-the-counter medicines, herbals, "
    "vitamins and minerals.":
        "Mantenga esta lista al día: medicamentos con y sin receta, hierbas, vitaminas y "
        "minerales.",
    "Take it to every doctor or other health care visit, and to the hospital or emergency "
    "room.":
        "Llévela a cada cita médica y al hospital o a la sala de emergencias.",
    "Use the blank rows to add new medicines.":
        "Use las filas en blanco para añadir medicamentos nuevos.",
    "Cross out medicines you no longer use; write the date and why you stopped.":
        "Tache los medicamentos que ya no usa y escriba la fecha y por qué los dejó.",
    "Allergies or side effects:": "Alergias o efectos secundarios:",
    "No allergies or side effects recorded.": "No hay alergias ni efectos secundarios anotados.",
    "No known allergies": "Sin alergias conocidas",
    "reaction not recorded": "reacción no anotada",
    "side effect": "efecto secundario",
    "Medication:": "Medicamento:",
    "How I use it:": "Cómo lo uso:",
    "Why I use it:": "Para qué lo uso:",
    "Prescriber:": "Recetado por:",
    "Date I started using it:": "Empecé a usarlo el:",
    "Date I stopped using it:": "Lo dejé el:",
    "Why I stopped using it:": "Por qué lo dejé:",
    "Started:": "Empecé:",
    "Stopped:": "Lo dejé:",
    "Why I stopped:": "Por qué lo dejé:",
    "(see below)": "(ver abajo)",
    "as needed": "cuando lo necesite",
    "on hold": "en pausa",
    "date not known": "fecha desconocida",
    "Other information:": "Otra información:",
    "{n} medicines stopped more than a year ago ({file}) are not listed.":
        "No se muestran {n} medicamentos suspendidos hace más de un año ({file}).",
    "My notes and questions:": "Mis notas y preguntas:",
    # Medication Action Plan
    "Medication Action Plan": "Plan de acción para mis medicamentos",
    "This action plan will help you get the best results from your medications if you: read "
    "'What we talked about', take the steps listed in the 'What I need to do' boxes, fill in "
    "'What I did and when I did it', fill in 'My follow-up plan' and 'Questions I want to ask'.":
        "Este plan de acción le ayudará a obtener los mejores resultados de sus medicamentos si "
        "usted: lee 'De qué hablamos', sigue los pasos de los recuadros 'Lo que debo hacer', "
        "llena 'Lo que hice y cuándo lo hice', y llena 'Mi plan de seguimiento' y 'Preguntas "
        "que quiero hacer'.",
    "What we talked about:": "De qué hablamos:",
    # changes to the medication list, on the action plan
    "New medicine: {name}.": "Medicamento nuevo: {name}.",
    "{name}: stopped on {date}.": "{name}: suspendido el {date}.",
    "{name}: on hold from {date}.": "{name}: en pausa desde el {date}.",
    "{name}: started again on {date}.": "{name}: reanudado el {date}.",
    "{name}: changed on {date}.": "{name}: cambió el {date}.",
    "The strength is now {after} (it was {before}).":
        "La concentración ahora es {after} (antes era {before}).",
    "How you take it is now: {after}": "Ahora se toma así: {after}",
    "It replaces {before}.": "Reemplaza a {before}.",
    "It is now a {after} (it was a {before}).": "Ahora es {after} (antes era {before}).",
    "Stop using {name}. Keep what is left apart from your other medicines until you can dispose "
    "of it safely.":
        "Deje de usar {name}. Guarde lo que sobre aparte de sus otros medicamentos hasta que "
        "pueda desecharlo de forma segura.",
    "Do not use {name} until your pharmacist or prescriber tells you to start again.":
        "No use {name} hasta que su farmacéutico o su médico le diga que vuelva a empezar.",
    "From now on: {directions}": "De ahora en adelante: {directions}",
    "{directions}": "{directions}",
    "Set aside the medicine of the old strength and ask your pharmacist what to do with it.":
        "Aparte el medicamento de la concentración anterior y pregunte a su farmacéutico qué "
        "hacer con él.",
    "Use it as your prescriber told you.": "Úselo como le indicó su médico.",
    "What I need to do:": "Lo que debo hacer:",
    "What I did and when I did it:": "Lo que hice y cuándo lo hice:",
    "My follow-up plan:": "Mi plan de seguimiento:",
    "Questions I want to ask:": "Preguntas que quiero hacer:",
    "If you have any questions about your action plan, call {pharmacist} at {phone}, {hours}.":
        "Si tiene preguntas sobre su plan de acción, llame a {pharmacist} al {phone}, {hours}.",
    "your pharmacist": "su farmacéutico",
    "Next contact with your pharmacist: {modality}, by {date}":
        "Próximo contacto con su farmacéutico: {modality}, a más tardar el {date}",
    "during office hours": "en horario de oficina",
    # CMS standardized format
    "Your medication review summary": "Resumen de la revisión de sus medicamentos",
    "For plan or provider use:": "Para uso del plan o del proveedor:",
    "Dear {name}:": "Estimado(a) {name}:",
    "Thank you for talking with me on {date}, about your health and medications. As a "
    "follow-up to our conversation, I have included two documents:":
        "Gracias por hablar conmigo el {date} sobre su salud y sus medicamentos. Para dar "
        "seguimiento a nuestra conversación, le envío dos documentos:",
    "Your Recommended To-Do List has steps you should take to get the best results from your "
    "medications.":
        "Su Lista de tareas recomendadas tiene los pasos que debe seguir para obtener los "
        "mejores resultados de sus medicamentos.",
    "Your Medication List will help you keep track of your medications and how to take them.":
        "Su Lista de medicamentos le ayudará a llevar la cuenta de sus medicamentos y de cómo "
        "tomarlos.",
    "Please use these documents as you take your medications and when you see your doctors.":
        "Use estos documentos cuando tome sus medicamentos y cuando vea a sus médicos.",
    "If you want to talk about these documents, please call me at {phone}, {hours}.":
        "Si quiere hablar sobre estos documentos, llámeme al {phone}, {hours}.",
    "TTY users can call {tty}.": "Los usuarios de TTY pueden llamar al {tty}.",
    "I look forward to working with you and your doctors to help you stay healthy through the "
    "{program} program.":
        "Será un gusto trabajar con usted y con sus médicos para ayudarle a mantenerse sano por "
        "medio del programa {program}.",
    "Medication Therapy Management (MTM)":
        "de Administración de la Terapia con Medicamentos (MTM)",
    "Sincerely,": "Atentamente,",
    "Recommended To-Do List": "Lista de tareas recomendadas",
    "You can get the best results from your medications by completing the items on this "
    "'To-Do List.'":
        "Puede obtener los mejores resultados de sus medicamentos si completa las tareas de "
        "esta 'Lista de tareas.'",
    "Bring your To-Do List when you go to your doctor. And, share it with your family or "
    "caregivers.":
        "Lleve su Lista de tareas cuando vaya al médico. Y compártala con su familia o sus "
        "cuidadores.",
    "My To-Do List": "Mi lista de tareas",
    "What I should do:": "Lo que debo hacer:",
    "Safe disposal of unused medicines": "Cómo desechar con seguridad los medicamentos que no usa",
    "Take unused or expired medicines to a drug take-back site: many pharmacies and police "
    "stations have a drop-off box (find one at www.dea.gov/takebackday or call your pharmacy). "
    "If no take-back site is near, mix pills with used coffee grounds or cat litter in a sealed "
    "bag and put it in the household trash; scratch out your name on the label. Some medicines, "
    "such as opioid pain patches, should be flushed: see www.fda.gov/drugdisposal.":
        "Lleve los medicamentos que no usa o que están vencidos a un sitio de recolección: "
        "muchas farmacias y estaciones de policía tienen un buzón (busque uno en "
        "www.dea.gov/takebackday o llame a su farmacia). Si no hay un sitio cerca, mezcle las "
        "pastillas con café molido usado o arena para gatos en una bolsa cerrada y tírela a la "
        "basura de la casa; tache su nombre en la etiqueta. Algunos medicamentos, como los "
        "parches para el dolor con opioides, se deben tirar al inodoro: vea "
        "www.fda.gov/drugdisposal.",
    "Medication List": "Lista de medicamentos",
    "Bring your Medication List when you go to the doctor, hospital, or emergency room. And, "
    "share it with your family or caregivers.":
        "Lleve su Lista de medicamentos cuando vaya al médico, al hospital o a la sala de "
        "emergencias. Y compártala con su familia o sus cuidadores.",
    "Note any changes to how you take your medications. Cross out medications when you no "
    "longer use them.":
        "Anote cualquier cambio en la forma en que toma sus medicamentos. Tache los "
        "medicamentos cuando ya no los use.",
    "Medication": "Medicamento",
    "How I take it": "Cómo lo tomo",
    "Why I use it": "Para qué lo uso",
    "Prescriber": "Recetado por",
    "Allergies:": "Alergias:",
    "Side effects I have had:": "Efectos secundarios que he tenido:",
    # medication calendar
    "My medication calendar": "Mi calendario de medicamentos",
    "Take each medicine at the times marked with its dose. Keep this calendar where you take "
    "your medicines, and bring it to your visits.":
        "Tome cada medicamento a las horas marcadas, con su dosis. Guarde este calendario donde "
        "toma sus medicamentos y tráigalo a sus citas.",
    "Medicine": "Medicamento",
    "What it is for": "Para qué es",
    "How I use it": "Cómo lo uso",
    "Morning": "Mañana",
    "Noon": "Mediodía",
    "Evening": "Noche",
    "Bedtime": "Al acostarse",
    "take": "tomar",
    "Medicines not taken every day, or at other times":
        "Medicamentos que no se toman todos los días, o a otras horas",
    "Only when needed (as needed)": "Solo cuando los necesite",
    "Not every day: on these days": "No todos los días: en estos días",
    "Days": "Días",
    "How much, when": "Cuánto y cuándo",
    "The most in a day": "Lo máximo en un día",
    "Other medicines: use as the label says": "Otros medicamentos: úselos como dice la etiqueta",
    "Every day except {days}": "Todos los días excepto el {days}",
    "Every {days}": "Cada {days}",
    "Every other day": "Un día sí y otro no",
    "Once a week": "Una vez a la semana",
    "Once a month": "Una vez al mes",
    "One time only": "Una sola vez",
    "Days {first} to {last}": "Días {first} a {last}",
    "for {n} days": "durante {n} días",
    "{n} a day": "{n} al día",
    "{n} times a day": "{n} veces al día",
    "once a day": "una vez al día",
    "as the label says": "como dice la etiqueta",
    "No current medicines on the list.": "No hay medicamentos actuales en la lista.",
    # invoice / receipt
    "Invoice": "Factura",
    "Receipt": "Recibo",
    "Number:": "Número:",
    "Date:": "Fecha:",
    "Billed to:": "Facturado a:",
    "From:": "De:",
    "Service": "Servicio",
    "Quantity": "Cantidad",
    "Amount": "Importe",
    "Total": "Total",
    "Paid": "Pagado",
    "Balance due": "Saldo pendiente",
    "Cash": "Efectivo",
    "Card": "Tarjeta",
    "Check": "Cheque",
    "HSA/FSA card": "Tarjeta HSA/FSA",
    "Bank transfer": "Transferencia bancaria",
    "Other": "Otro",
    "Service date: {date}. {service}, {modality}.": "Fecha del servicio: {date}. {service}, {modality}.",
    "Paid in full. Thank you.": "Pagado en su totalidad. Gracias.",
    "Please pay the balance due within 30 days. Thank you.":
        "Por favor, pague el saldo pendiente en un plazo de 30 días. Gracias.",
    "Keep this receipt for your records; you may be able to claim it from an insurance plan or "
    "a health savings account.":
        "Guarde este recibo; es posible que pueda reclamarlo a un seguro o a una cuenta de "
        "ahorros para la salud.",
    # services and modalities (models.enums.SERVICE_LABELS, services.document_data)
    "Comprehensive medication review (CMR)": "Revisión completa de medicamentos (CMR)",
    "Targeted medication review (TMR)": "Revisión específica de medicamentos (TMR)",
    "Medication reconciliation": "Conciliación de medicamentos",
    "Pharmacogenomic follow-up": "Seguimiento farmacogenómico",
    "Chronic care management": "Atención de enfermedades crónicas",
    "Disease-state management": "Control de una enfermedad",
    "Adherence program": "Programa de adherencia a los medicamentos",
    "Polypharmacy management": "Manejo de muchos medicamentos (polifarmacia)",
    "Drug utilization review (DUR)": "Revisión del uso de medicamentos (DUR)",
    "Follow-up": "Seguimiento",
    "In person (home visit)": "En persona (visita a domicilio)",
    "In person (clinic)": "En persona (consultorio)",
    "Video": "Videollamada",
    "Telephone": "Teléfono",
}

# Bills (CPT and ICD-10-CM codes, a plan-paid service), the Good Faith Estimate, who received
# the documents, and a document printed before the practice's details are set up.
CATALOG_ES.update({
    "Tax ID": "Número de identificación fiscal",
    "CPT code": "Código CPT",
    "Units": "Unidades",
    "Diagnoses (ICD-10-CM):": "Diagnósticos (CIE-10-MC):",
    "Diagnoses (ICD-10-CM): none recorded.": "Diagnósticos (CIE-10-MC): ninguno anotado.",
    "Total charges": "Cargos totales",
    "Billed to your plan ({payer}); you pay nothing for this service.":
        "Facturado a su plan ({payer}); usted no paga nada por este servicio.",
    "Your charge": "Lo que usted paga",
    "Member ID": "Número de afiliado",
    "Nothing to pay. Thank you.": "No tiene nada que pagar. Gracias.",
    "Medicare Part D": "Medicare Parte D",
    "Self-pay": "Pago por cuenta propia",
    "Medication therapy management by a pharmacist, face-to-face, new patient, initial 15 "
    "minutes": "Manejo de medicamentos por un farmacéutico, en persona, paciente nuevo, "
               "primeros 15 minutos",
    "Medication therapy management by a pharmacist, face-to-face, established patient, "
    "initial 15 minutes": "Manejo de medicamentos por un farmacéutico, en persona, paciente "
                          "conocido, primeros 15 minutos",
    "Medication therapy management by a pharmacist, each additional 15 minutes":
        "Manejo de medicamentos por un farmacéutico, cada 15 minutos adicionales",
    "Practice details missing": "Faltan los datos de la farmacia",
    "PRACTICE DETAILS MISSING ({details}): enter them in Settings before giving this document "
    "to anyone.": "FALTAN LOS DATOS DE LA FARMACIA ({details}): anótelos en Configuración "
                  "antes de entregar este documento.",
    "pharmacist's name": "nombre del farmacéutico",
    "phone": "teléfono",
    "address": "dirección",
    "NPI": "NPI",
    "(phone not set)": "(teléfono no anotado)",
    "Received by: {who}": "Recibido por: {who}",
    "Delivered: {how}": "Entregado: {how}",
    "the patient": "el paciente",
    "caregiver": "cuidador",
    "prescriber": "médico que receta",
    "in person": "en persona",
    "by mail": "por correo",
    "through the patient portal": "por el portal del paciente",
    "by fax": "por fax",
    "Good Faith Estimate": "Estimación de buena fe",
    "You have the right to receive a Good Faith Estimate explaining how much your medical care "
    "will cost if you do not have insurance or do not use it for this service. This estimate "
    "lists what we expect to charge you for the service below.":
        "Usted tiene derecho a recibir una Estimación de buena fe que explique cuánto costará "
        "su atención médica si no tiene seguro o no lo usa para este servicio. Esta estimación "
        "indica lo que esperamos cobrarle por el servicio de abajo.",
    "This is only an estimate of the services we reasonably expect to give you, made on the "
    "day it was issued. The actual services and charges may differ.":
        "Es solo una estimación de los servicios que razonablemente esperamos darle, hecha el "
        "día en que se emitió. Los servicios y cargos reales pueden ser distintos.",
    "We may recommend other services during your care that are scheduled or asked for "
    "separately. They are not included here, and you can ask for an estimate for them.":
        "Podemos recomendarle otros servicios durante su atención que se programan o se piden "
        "por separado. No están incluidos aquí, y puede pedir una estimación para ellos.",
    "This estimate is not a contract: it does not oblige you to receive the service.":
        "Esta estimación no es un contrato: no le obliga a recibir el servicio.",
    "If you are billed at least $400 more than this estimate, you have the right to dispute "
    "the bill through the federal patient-provider dispute resolution process, within 120 "
    "days of the date on the bill. Starting a dispute will not affect the quality of the care "
    "you receive. To learn how, visit www.cms.gov/nosurprises or call 1-800-985-3059.":
        "Si le facturan al menos $400 más que esta estimación, tiene derecho a disputar la "
        "factura mediante el proceso federal de resolución de disputas entre pacientes y "
        "proveedores, dentro de los 120 días desde la fecha de la factura. Iniciar una disputa "
        "no afectará la calidad de la atención que recibe. Para saber cómo, visite "
        "www.cms.gov/nosurprises o llame al 1-800-985-3059.",
    "Keep this estimate: you need a copy to start a dispute.":
        "Guarde esta estimación: necesita una copia para iniciar una disputa.",
    "Estimate number:": "Número de estimación:",
    "Issued on:": "Emitida el:",
    "Patient:": "Paciente:",
    "Service:": "Servicio:",
    "Scheduled for:": "Programado para:",
    "not yet": "todavía no",
    "Where:": "Dónde:",
    "Provider:": "Proveedor:",
    "Total estimated charges:": "Cargos totales estimados:",
    "What you should know": "Lo que debe saber",
    "The patient's home": "El domicilio del paciente",
    "The practice's office": "El consultorio de la farmacia",
    "By video (telehealth)": "Por videollamada (telesalud)",
    "By telephone": "Por teléfono",
})
